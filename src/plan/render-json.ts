import { sortKeysDeep } from '../diff/canonical-json.js';
import { actionOf, changeTarget } from '../diff/change.js';
import { diagnosticToJson } from '../diagnostics/diagnostic.js';
import { stringifyJson } from '../output/escape-json.js';
import { planId } from './plan-file.js';
import { type Plan, PLAN_FORMAT_VERSION } from './plan.js';

// `--format json`: for machines reading a plan (CI checks, dashboards). Flat change list with
// each change's wave (numbered 1, 2, 3… as the text plan shows them), action and target; keys in
// byte-wise order below the envelope. Schema: schemas/output/plan.schema.json.

export function renderPlanJson(plan: Plan): string {
  const document = {
    format_version: PLAN_FORMAT_VERSION,
    plan_id: planId(plan),
    ...(plan.gitCommit !== undefined ? { git_commit: plan.gitCommit } : {}),
    desired_digest: plan.desiredDigest,
    live_fingerprint: plan.liveFingerprint,
    summary: plan.summary,
    changes: plan.waves.flatMap((wave, i) =>
      wave.changes.map((change) => sortKeysDeep({ wave: i + 1, action: actionOf(change), target: changeTarget(change), ...change })),
    ),
    unmanaged: plan.unmanaged.map((u) => sortKeysDeep(u)),
    diagnostics: plan.diagnostics.map(diagnosticToJson),
    account_names: sortKeysDeep(plan.accountNames ?? {}),
  };
  return `${stringifyJson(document)}\n`;
}
