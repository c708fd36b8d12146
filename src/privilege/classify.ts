import { type ActionCatalogue, type ActionSet, actionId, add, count, emptySet, has, ids, intersect, isEmpty } from './catalogue.js';
import { ESCALATION_METHODS, PERMISSION_SERVICES } from './escalation-methods.js';
import { type CompiledStatement, statementLabel } from './policy-statements.js';

// The privilege level of a set of allowed actions, with the reason a reviewer can check:
// admin (effectively everything, IAM's permissions management included), privilege-escalation
// (can change its own or others' permissions; escalation-methods.ts cites the research),
// write, read-only, none.

export const PRIVILEGE_LEVELS = ['none', 'read-only', 'write', 'privilege-escalation', 'admin'] as const;
export type PrivilegeLevel = (typeof PRIVILEGE_LEVELS)[number];

export const levelRank = (l: PrivilegeLevel): number => PRIVILEGE_LEVELS.indexOf(l);
export const isPrivilegeLevel = (s: string): s is PrivilegeLevel => (PRIVILEGE_LEVELS as readonly string[]).includes(s);

export interface Classification {
  /**
   * The highest level the analysed statements reach (conditions and resource scopes count as
   * allowing). Content the config does not hold (customer managed policies) adds nothing here:
   * it is in `notAnalysed` and in `worstCaseLevel`.
   */
  readonly level: PrivilegeLevel;
  /** The level its unconditional statements alone reach. */
  readonly certainLevel: PrivilegeLevel;
  /** The level if the content not analysed allowed anything: guardrails' default (`unknownContent: possibly`). */
  readonly worstCaseLevel: PrivilegeLevel;
  /** Which statement of which policy puts it at `level`. */
  readonly reason: string;
  /** The statement alone, short: `managed policy AdministratorAccess statement #1 (*)`. */
  readonly decidedBy: string;
  /** Which statement, or which content not analysed, puts it at `worstCaseLevel`. */
  readonly worstCaseReason: string;
}

/** Admin covers at least this share of the catalogue (and all of IAM's permissions management). */
const ADMIN_SHARE = 0.9;

interface LevelIndex {
  readonly permissionManagement: ActionSet;
  readonly iamPermissionManagement: readonly number[];
  readonly write: ActionSet;
  readonly methods: readonly { readonly name: string; readonly source: string; readonly ids: readonly number[] }[];
}

/**
 * The catalogue files a few reads under Write (iot:ListSubscriptions, athena:GetSessionEndpoint),
 * which would make AWS's own ReadOnlyAccess "write". An action named as a read by AWS's naming
 * convention does not count towards write; Permissions management and escalation are unaffected.
 * s3express:CreateSession opens a session whose mode (ReadOnly or ReadWrite) the data actions
 * then obey; the write itself is s3express's object actions, which count.
 */
const READ_VERB = /^[^:]+:(Get|List|Describe|Search|View)[A-Z]|^s3express:CreateSession$/;

const indexes = new WeakMap<ActionCatalogue, LevelIndex>();

function levelIndex(c: ActionCatalogue): LevelIndex {
  let index = indexes.get(c);
  if (index) return index;
  const permissionManagement = emptySet(c);
  const write = emptySet(c);
  const iamPermissionManagement: number[] = [];
  const services = new Set(PERMISSION_SERVICES);
  c.actions.forEach((action, id) => {
    const level = c.levels[id]!;
    if (level !== 'List' && level !== 'Read' && !READ_VERB.test(action)) add(write, id);
    if (level !== 'Permissions management') return;
    const service = action.slice(0, action.indexOf(':')).toLowerCase();
    if (services.has(service)) add(permissionManagement, id);
    if (service === 'iam') iamPermissionManagement.push(id);
  });
  const methods = ESCALATION_METHODS.flatMap((m) => {
    const list = m.actions.map((a) => actionId(c, a));
    // A method whose actions the catalogue no longer lists cannot be checked; it is skipped.
    return list.every((id) => id !== undefined) ? [{ name: m.name, source: m.source, ids: list as number[] }] : [];
  });
  index = { permissionManagement, iamPermissionManagement, write, methods };
  indexes.set(c, index);
  return index;
}

export interface ClassifyInput {
  readonly allowed: ActionSet;
  readonly analysedAllowed: ActionSet;
  readonly maybeAllowed: ActionSet;
  readonly identity: readonly CompiledStatement[];
  readonly notAnalysed: readonly string[];
}

export function classify(c: ActionCatalogue, p: ClassifyInput): Classification {
  const certain = levelOf(c, p.allowed);
  const analysed = sameSet(p.analysedAllowed, p.maybeAllowed) ? undefined : levelOf(c, p.analysedAllowed);
  const worst = levelOf(c, p.maybeAllowed);
  const explain = (reached: LevelFound): { reason: string; by: string } => {
    const certainSuffices = certain.level === reached.level;
    const decided = certainSuffices ? certain : reached;
    if (decided.level === 'none') return { reason: 'allows no action', by: 'no statement' };
    const by = whoAllows(c, p, decided.witness, certainSuffices);
    return { reason: `${decided.what}, allowed by ${by}${certainSuffices ? '' : ' (possibly: not for every request)'}`, by };
  };
  const worstCase = explain(worst);
  const shown = analysed ? explain(analysed) : worstCase;
  return {
    level: (analysed ?? worst).level,
    certainLevel: certain.level,
    worstCaseLevel: worst.level,
    reason: shown.reason,
    decidedBy: shown.by,
    worstCaseReason: worstCase.reason,
  };
}

function sameSet(a: ActionSet, b: ActionSet): boolean {
  if (a === b) return true;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface LevelFound {
  readonly level: PrivilegeLevel;
  readonly what: string;
  readonly witness: number;
}

function levelOf(c: ActionCatalogue, s: ActionSet): LevelFound {
  const index = levelIndex(c);
  const n = count(s);
  if (n >= ADMIN_SHARE * c.size && index.iamPermissionManagement.every((id) => has(s, id))) {
    return { level: 'admin', what: `${n} of the ${c.size} actions of the IAM catalogue, IAM permissions management included`, witness: index.iamPermissionManagement[0]! };
  }
  for (const m of index.methods) {
    if (m.ids.every((id) => has(s, id))) {
      return {
        level: 'privilege-escalation',
        what: `${m.ids.map((id) => c.actions[id]).join(' with ')} (${m.name}; ${m.source})`,
        witness: m.ids[m.ids.length - 1]!,
      };
    }
  }
  const pm = intersect(s, index.permissionManagement);
  if (!isEmpty(pm)) {
    const first = ids(pm).next().value as number;
    return { level: 'privilege-escalation', what: `${c.actions[first]} (Permissions management)`, witness: first };
  }
  const w = intersect(s, index.write);
  if (!isEmpty(w)) {
    const first = ids(w).next().value as number;
    return { level: 'write', what: `${count(w)} write actions such as ${c.actions[first]} (${c.levels[first]})`, witness: first };
  }
  if (n > 0) {
    const first = ids(s).next().value as number;
    return { level: 'read-only', what: `${n} List and Read actions such as ${c.actions[first]}`, witness: first };
  }
  return { level: 'none', what: '', witness: -1 };
}

/** The statement behind an action (an unconditional one when `certain`), or the unknown content. */
function whoAllows(c: ActionCatalogue, p: ClassifyInput, id: number, certain: boolean): string {
  const statements = p.identity.filter((s) => s.effect === 'Allow' && has(s.actions, id));
  const best = statements.find((s) => s.unconditional) ?? (certain ? undefined : statements[0]);
  if (best) return `${statementLabel(best)} (${best.written.slice(0, 3).join(', ')}${best.written.length > 3 ? ', …' : ''})`;
  const unknown = p.notAnalysed.find((n) => !n.includes('boundary'));
  return unknown ? `${unknown.replace(/^not analysed: /, '')}, not analysed and treated as possibly allowing anything` : `no statement (${c.actions[id]})`;
}
