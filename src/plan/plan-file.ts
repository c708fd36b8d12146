import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { canonicalJson } from '../diff/canonical-json.js';
import type { ChangeKind } from '../diff/change.js';
import { WAVE_OF } from './order.js';
import {
  arrayOf,
  type Check,
  int,
  isRecord,
  mapOf,
  oneOf,
  optional,
  shape,
  str,
} from './plan-document-checks.js';
import { type Plan, PLAN_FORMAT_VERSION, type UnmanagedObject, type Wave, WAVES } from './plan.js';
import type { PlanPrivilege } from '../access/plan-privilege.js';
import type { PrivilegeChange } from '../access/privilege-diff.js';
import { PRIVILEGE_LEVELS } from '../privilege/classify.js';

// The plan file: the in-memory Plan in a stable JSON form (snake_case envelope, no
// timestamps), with a plan_id that hashes the content. The plan_id catches accidental damage
// only: anyone can edit a file and re-hash it, so apply never trusts a plan file's content,
// it re-derives the plan and compares the changes (cli/commands/apply.ts). Reading never
// throws: problems come back as `error`.

export interface ParsedPlanFile {
  readonly plan?: Plan;
  readonly planId?: string;
  readonly error?: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The file without its plan_id line: one top-level field per line and one change per line,
 * each in canonical JSON (sorted keys), so the text is a pure function of the plan, is
 * readable, diffs well in review, and is quick to write at 300,000 changes.
 */
function planBody(plan: Plan): string {
  const field = (name: string, value: unknown): string => `  ${JSON.stringify(name)}: ${canonicalJson(value)}`;
  const lines: string[] = [field('format_version', plan.formatVersion)];
  if (plan.gitCommit !== undefined) lines.push(field('git_commit', plan.gitCommit));
  lines.push(
    field('desired_digest', plan.desiredDigest),
    field('live_fingerprint', plan.liveFingerprint),
    field('summary', plan.summary),
  );
  if (plan.target !== undefined) lines.push(field('store', plan.target.store), field('instance_arn', plan.target.instanceArn));
  const waves = plan.waves.map((wave) => {
    const changes = wave.changes.map((c) => `        ${canonicalJson(c)}`).join(',\n');
    const head = `    {"index":${wave.index},"name":${JSON.stringify(wave.name)},"changes":[`;
    return wave.changes.length === 0 ? `${head}]}` : `${head}\n${changes}\n    ]}`;
  });
  lines.push(waves.length === 0 ? '  "waves": []' : `  "waves": [\n${waves.join(',\n')}\n  ]`);
  const list = (name: string, items: readonly unknown[]): string =>
    items.length === 0 ? `  "${name}": []` : `  "${name}": [\n${items.map((i) => `    ${canonicalJson(i)}`).join(',\n')}\n  ]`;
  lines.push(list('unmanaged', plan.unmanaged), list('diagnostics', plan.diagnostics));
  lines.push(field('account_names', plan.accountNames ?? {}));
  return lines.join(',\n');
}

/** The plan id: SHA-256 of the plan's canonical text. Identical plans have identical ids. */
export function planId(plan: Plan): string {
  return sha256(planBody(plan));
}

export function serializePlan(plan: Plan): string {
  const body = planBody(plan);
  const privilege = plan.privilege ? `,\n${privilegeSection(plan.privilege)}` : '';
  return `{\n  "plan_id": ${JSON.stringify(sha256(body))},\n${body}${privilege}\n}\n`;
}

// The privilege section (who gains or loses a privilege level), saved so `show` and a merge-time
// comparison reproduce it. It is outside the plan_id, which stays the id of the changes whether
// or not the section was computed (apply derives the same id from config and live state without
// it); its own digest catches damage to it. One change per line, in canonical JSON.
const privilegeContent = (p: PlanPrivilege) => ({ account_names: p.accountNames, changes: p.changes });

function privilegeSection(p: PlanPrivilege): string {
  const changes = p.changes.length === 0 ? '[]' : `[\n${p.changes.map((c) => `      ${canonicalJson(c)}`).join(',\n')}\n    ]`;
  return [
    '  "privilege": {',
    `    "digest": ${JSON.stringify(sha256(canonicalJson(privilegeContent(p))))},`,
    `    "account_names": ${canonicalJson(p.accountNames)},`,
    `    "changes": ${changes}`,
    '  }',
  ].join('\n');
}

export function parsePlanFile(text: string): ParsedPlanFile {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    return { error: `not a Gatehouse plan file: it is not JSON (${(err as Error).message})` };
  }
  if (!isRecord(document) || !('format_version' in document) || !('plan_id' in document)) {
    return { error: 'not a Gatehouse plan file: format_version and plan_id are missing' };
  }
  if (document.format_version !== PLAN_FORMAT_VERSION) {
    return {
      error: `unsupported plan format_version ${JSON.stringify(document.format_version)}; this Gatehouse reads version ${PLAN_FORMAT_VERSION}. Re-run gatehouse plan.`,
    };
  }
  const problem = DOCUMENT(document, 'plan');
  if (problem) return { error: `corrupted plan file: ${problem}` };
  const doc = document as unknown as {
    readonly plan_id: string;
    readonly git_commit?: string;
    readonly desired_digest: string;
    readonly live_fingerprint: string;
    readonly summary: Plan['summary'];
    readonly waves: readonly Wave[];
    readonly unmanaged: readonly UnmanagedObject[];
    readonly diagnostics: readonly Diagnostic[];
    readonly account_names: Readonly<Record<string, string>>;
    readonly store?: string;
    readonly instance_arn?: string;
    readonly privilege?: { readonly digest: string; readonly account_names: Readonly<Record<string, string>>; readonly changes: readonly PrivilegeChange[] };
  };
  const waveProblem = checkWaves(doc.waves);
  if (waveProblem) return { error: `corrupted plan file: ${waveProblem}` };
  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    waves: doc.waves,
    summary: doc.summary,
    unmanaged: doc.unmanaged,
    diagnostics: doc.diagnostics,
    desiredDigest: doc.desired_digest,
    liveFingerprint: doc.live_fingerprint,
    ...(doc.git_commit !== undefined ? { gitCommit: doc.git_commit } : {}),
    ...(doc.store !== undefined ? { target: { store: doc.store, instanceArn: doc.instance_arn ?? '' } } : {}),
    accountNames: doc.account_names,
  };
  const id = planId(plan);
  if (id !== doc.plan_id) {
    return { error: 'corrupted plan file: its content does not match its plan_id (the file was edited or truncated)' };
  }
  if (doc.privilege) {
    const privilege: PlanPrivilege = { accountNames: doc.privilege.account_names, changes: doc.privilege.changes };
    if (sha256(canonicalJson(privilegeContent(privilege))) !== doc.privilege.digest) {
      return { error: 'corrupted plan file: its privilege section does not match its digest (the file was edited or truncated)' };
    }
    return { plan: { ...plan, privilege }, planId: id };
  }
  return { plan, planId: id };
}

/** Waves in order, each named as in WAVES and holding only the kinds that belong to it. */
function checkWaves(waves: readonly Wave[]): string | undefined {
  let previous = 0;
  for (const [i, wave] of waves.entries()) {
    if (wave.index <= previous || wave.index > WAVES.length) return `waves[${i}].index ${wave.index} is out of order`;
    if (wave.name !== WAVES[wave.index - 1]) return `waves[${i}].name must be "${WAVES[wave.index - 1]}"`;
    previous = wave.index;
    for (const [j, change] of wave.changes.entries()) {
      if (WAVE_OF[change.kind] !== wave.index) return `waves[${i}].changes[${j}] (${change.kind}) does not belong to wave ${wave.index}`;
    }
  }
  return undefined;
}

const hex64: Check = (v, path) =>
  typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? undefined : `${path} must be a SHA-256 hex digest`;
const strings = arrayOf(str);
const bool: Check = (v, path) => (typeof v === 'boolean' ? undefined : `${path} must be true or false`);
const customerRef = shape({ name: str, path: str });

const USER = shape({ userName: str, displayName: str, givenName: str, familyName: str, email: optional(str), title: optional(str) });
const GROUP = shape({ displayName: str, description: optional(str) });
const PERMISSION_SET = shape({
  name: str,
  description: optional(str),
  sessionDuration: str,
  relayState: optional(str),
  managedPolicies: strings,
  customerManagedPolicies: arrayOf(customerRef),
  inlinePolicy: optional(str),
  permissionsBoundary: optional(shape({ managedPolicyArn: optional(str), customerManagedPolicy: optional(customerRef) })),
  tags: mapOf(str),
});
const TUPLE = shape({ principalType: oneOf('USER', 'GROUP'), principalName: str, permissionSetName: str, accountId: str });

const CHANGE_FIELDS: Readonly<Record<ChangeKind, Readonly<Record<string, Check>>>> = {
  'user.create': { after: USER },
  'user.update': { before: USER, after: USER, fields: strings },
  'user.delete': { before: USER },
  'group.create': { after: GROUP },
  'group.update': { before: GROUP, after: GROUP, fields: strings },
  'group.delete': { before: GROUP },
  'membership.add': { groupName: str, userName: str },
  'membership.remove': { groupName: str, userName: str, membershipId: optional(str) },
  'permissionSet.create': { after: PERMISSION_SET, renamedFrom: optional(str) },
  'permissionSet.update': { before: PERMISSION_SET, after: PERMISSION_SET, fields: strings },
  'permissionSet.provision': { permissionSetName: str, accountId: str, reason: oneOf('content-changed', 'not-provisioned') },
  'permissionSet.delete': { before: PERMISSION_SET, renamedTo: optional(str) },
  'assignment.create': { assignment: TUPLE, reason: optional(str), expires: optional(str) },
  'assignment.delete': {
    assignment: TUPLE,
    principalId: optional(str),
    cause: optional(oneOf('undeclared', 'expired', 'orphaned', 'renamed')),
  },
};

const CHANGE: Check = (v, path) => {
  if (!isRecord(v)) return `${path} must be an object`;
  const kind = v.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(CHANGE_FIELDS, kind)) return `${path}.kind ${JSON.stringify(kind)} is not a known change`;
  return shape({ kind: str, ...CHANGE_FIELDS[kind as ChangeKind] })(v, path);
};

const DIAGNOSTIC = shape({
  severity: oneOf('error', 'warning'),
  rule: str,
  message: str,
  source: optional(shape({ file: str, line: int, col: int })),
});

const PRIVILEGE_LEVEL = oneOf(...PRIVILEGE_LEVELS);
const PRIVILEGE = shape({
  digest: hex64,
  account_names: mapOf(str),
  changes: arrayOf(
    shape({
      direction: oneOf('gain', 'loss'),
      from: PRIVILEGE_LEVEL,
      to: PRIVILEGE_LEVEL,
      through: str,
      why: str,
      possibly: bool,
      users: strings,
      accounts: strings,
      productionAccounts: strings,
    }),
  ),
});

const DOCUMENT: Check = shape({
  format_version: int,
  plan_id: hex64,
  git_commit: optional(str),
  desired_digest: hex64,
  live_fingerprint: hex64,
  summary: shape({ add: int, change: int, destroy: int }),
  waves: arrayOf(shape({ index: int, name: str, changes: arrayOf(CHANGE) })),
  unmanaged: arrayOf(shape({ kind: oneOf('user', 'group', 'membership', 'permissionSet', 'assignment'), key: str })),
  diagnostics: arrayOf(DIAGNOSTIC),
  account_names: mapOf(str),
  store: optional(str),
  instance_arn: optional(str),
  privilege: optional(PRIVILEGE),
});
