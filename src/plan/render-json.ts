import { sortKeysDeep } from '../diff/canonical-json.js';
import { actionOf, changeTarget } from '../diff/change.js';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { planId } from './plan-file.js';
import { type Plan, PLAN_FORMAT_VERSION } from './plan.js';

// `--format json`: for machines reading a plan (CI checks, dashboards). Flat change list with
// each change's wave, action and target; keys in byte-wise order below the envelope.

export function renderPlanJson(plan: Plan): string {
  const document = {
    format_version: PLAN_FORMAT_VERSION,
    plan_id: planId(plan),
    ...(plan.gitCommit !== undefined ? { git_commit: plan.gitCommit } : {}),
    desired_digest: plan.desiredDigest,
    live_fingerprint: plan.liveFingerprint,
    summary: plan.summary,
    changes: plan.waves.flatMap((wave) =>
      wave.changes.map((change) => sortKeysDeep({ wave: wave.index, action: actionOf(change), target: changeTarget(change), ...change })),
    ),
    unmanaged: plan.unmanaged.map((u) => sortKeysDeep(u)),
    diagnostics: plan.diagnostics.map((d) => sortKeysDeep({ ...d, text: formatDiagnostic(d) })),
    account_names: sortKeysDeep(plan.accountNames ?? {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
