import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DesiredState, Settings, SourceRange } from '../model/desired.js';
import type { Organization } from '../model/entities.js';
import type { Assignment, Group, Guardrail, PermissionSet, User } from '../model/generated/config.js';
import type { GatehouseRoot } from '../model/generated/gatehouse.js';
import type { ConfigEntries, ConfigRule, Entry, PermissionSetEntry } from './entries.js';
import { resolveInlinePolicy, type ReadReferencedFile } from './inline-policy.js';
import { normalizeEntries } from './normalize.js';
import { applyRepairs, checkAccountIds, hasAccountIdProblems } from './rules/account-ids.js';
import { checkAssignmentShape } from './rules/assignment-shape.js';
import { checkAwsLimits } from './rules/aws-limits.js';
import { checkDisplayText } from './rules/display-text.js';
import { checkDuplicates } from './rules/duplicates.js';
import { checkExpiry } from './rules/expiry.js';
import { checkExpirySoon } from './rules/expiry-soon.js';
import { checkIdentitySource } from './rules/identity-source.js';
import { checkInlinePolicies } from './rules/iam-policy.js';
import { checkManagedPolicyNames } from './rules/managed-policy-names.js';
import { checkPrincipalNames } from './rules/principal-names.js';
import { checkReferences } from './rules/references.js';
import { checkSchema } from './rules/schema.js';
import { schemaValidator } from './schema/validators.js';
import { normalizeSettings } from './settings.js';
import { DeferredLocator } from './yaml/deferred-locator.js';
import type { ValuePath } from './yaml/locator.js';
import { parsePlainYaml, type PositionMode } from './yaml/parse-plain-yaml.js';
import { parseYaml, type ParsedYaml } from './yaml/parse-yaml.js';

export interface ConfigFile {
  /** Display path (as the user would type it); used in diagnostics. */
  readonly path: string;
  readonly text: string;
}

export interface ParseConfigOptions {
  /** The clock, for expiry checks. */
  readonly now: Date;
  /** Path of the root settings file among `files` (gatehouse.yaml); settings default without one. */
  readonly rootFile?: string;
  /** The organisation to check account and OU references against. */
  readonly organization?: Organization;
  /** Reads referenced inline policy files. */
  readonly readFile?: ReadReferencedFile;
  /** Default `on-demand`; see PositionMode. */
  readonly positions?: PositionMode;
  /** Config files that could not be read (reported by the caller): what they define is unknown. */
  readonly unreadFiles?: readonly Diagnostic[];
  /** AWS managed policy paths (src/datasets), for the managed-policy-names rule. */
  readonly awsManagedPolicies?: () => ReadonlySet<string>;
}

export interface ParsedConfig {
  readonly desired?: DesiredState;
  readonly settings: Settings;
  readonly diagnostics: Diagnostic[];
}

/** The semantic rules, run in this order on the schema-valid entries. */
export const CONFIG_RULES: readonly ConfigRule[] = [
  checkIdentitySource,
  checkAwsLimits,
  checkInlinePolicies,
  checkManagedPolicyNames,
  checkDuplicates,
  checkAssignmentShape,
  checkReferences,
  checkPrincipalNames,
  checkDisplayText,
  checkExpiry,
  checkExpirySoon,
];

const SECTIONS = ['users', 'groups', 'permissionSets', 'assignments', 'guardrails'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * Pure: config file texts in, desired state and every diagnostic out. Layered: YAML (with
 * positions and hostile-input checks) → account ids → JSON Schema → entries → semantic rules →
 * normalisation (only when there is no error). A file that is plain and passes the per-file
 * checks takes a fast path without positions; they are worked out from the file again only for
 * what gets reported (DeferredLocator), at the same places the precise path would give.
 */
export function parseConfigFiles(files: readonly ConfigFile[], options: ParseConfigOptions): ParsedConfig {
  const diagnostics: Diagnostic[] = [];
  const collected: Record<Section, Entry<unknown>[]> = { users: [], groups: [], permissionSets: [], assignments: [], guardrails: [] };
  const invalidNames: Record<Section, Set<string>> = { users: new Set(), groups: new Set(), permissionSets: new Set(), assignments: new Set(), guardrails: new Set() };
  let root: GatehouseRoot | undefined;
  let rootFound = false;
  // The first problem of each file whose entities are unknown (unreadable, not YAML).
  const unparsed: Diagnostic[] = [...(options.unreadFiles ?? [])];

  for (const file of files) {
    const isRoot = file.path === options.rootFile;
    rootFound ||= isRoot;
    const read = readConfigFile(file, isRoot ? 'gatehouse' : 'config', options.positions ?? 'on-demand');
    diagnostics.push(...read.diagnostics);
    if (read.value === undefined) {
      const first = sortDiagnostics(read.diagnostics)[0];
      if (first) unparsed.push(first);
      continue;
    }
    if (isRoot && !read.invalid.has('settings')) root = read.value as GatehouseRoot;
    for (const section of SECTIONS) {
      const list = (read.value as Record<string, unknown>)[section];
      if (!Array.isArray(list) || read.invalid.has(section)) continue;
      list.forEach((item, i) => {
        if (read.invalid.has(`${section}/${i}`)) {
          const name = nameOf(section, item);
          if (name !== undefined) invalidNames[section].add(name);
          return;
        }
        collected[section].push({ value: item, file: file.path, position: i, at: (path = [], key = false) => read.at([section, i], path, key) });
      });
    }
  }
  if (options.rootFile !== undefined && !rootFound)
    diagnostics.push({ severity: 'error', rule: 'missing-settings', message: `${options.rootFile} not found; a config directory needs a gatehouse.yaml with at least \`version: 1\`` });

  const settings = normalizeSettings(root);
  const permissionSets: PermissionSetEntry[] = (collected.permissionSets as Entry<PermissionSet>[]).map((entry) => {
    const inline = entry.value.inlinePolicy;
    if (inline === undefined) return entry;
    const resolved = resolveInlinePolicy(inline, entry.file, entry.at(['inlinePolicy']), options.readFile);
    if (resolved.diagnostic) diagnostics.push(resolved.diagnostic);
    return resolved.policy ? { ...entry, inlinePolicy: resolved.policy } : entry;
  });
  const entries: ConfigEntries = {
    users: collected.users as Entry<User>[],
    groups: collected.groups as Entry<Group>[],
    permissionSets,
    assignments: collected.assignments as Entry<Assignment>[],
    guardrails: collected.guardrails as Entry<Guardrail>[],
    invalidNames,
  };
  const ctx = {
    entries,
    settings,
    now: options.now,
    ...(options.organization && { organization: options.organization }),
    ...(options.awsManagedPolicies && { awsManagedPolicies: options.awsManagedPolicies }),
  };
  for (const rule of CONFIG_RULES) diagnostics.push(...rule(ctx));
  if (unparsed.length > 0) suppressConsequences(diagnostics, unparsed);

  const sorted = sortDiagnostics(diagnostics);
  if (hasErrors(sorted)) return { settings, diagnostics: sorted };
  return { desired: normalizeEntries(entries, settings), settings, diagnostics: sorted };
}

/**
 * A file that could not be parsed defines nothing, so every reference to what it defines is
 * "unknown" (issue 12: one syntax error in users.yaml gave dozens of errors elsewhere). Those are
 * dropped and counted in one warning next to the first such file's own error, which is the one
 * to fix.
 */
function suppressConsequences(diagnostics: Diagnostic[], unparsed: readonly Diagnostic[]): void {
  const kept = diagnostics.filter((d) => !(d.rule === 'unknown-reference' && / not defined under (?:users|groups|permissionSets)/.test(d.message)));
  const dropped = diagnostics.length - kept.length;
  if (dropped === 0) return;
  diagnostics.length = 0;
  diagnostics.push(...kept);
  const first = sortDiagnostics(unparsed)[0]!;
  const names = [...new Set(unparsed.map((d) => d.source?.file).filter((f): f is string => f !== undefined))].join(', ');
  diagnostics.push({
    severity: 'warning',
    rule: 'not-checked',
    message: `${dropped} reference${dropped === 1 ? '' : 's'} to users, groups or permission sets ${dropped === 1 ? 'was' : 'were'} not checked because ${names || 'a config file'} could not be read or parsed (what it defines is unknown); fix that first`,
    ...(first.source && { source: first.source }),
  });
}

interface ReadConfigFile {
  readonly diagnostics: readonly Diagnostic[];
  /** The file's top-level map; undefined when there is none to take entities from. */
  readonly value?: object;
  /** See invalidItems. */
  readonly invalid: ReadonlySet<string>;
  /** Where `path` inside the value at `docPath` (from the document root) was written. */
  at(docPath: ValuePath, path?: ValuePath, key?: boolean): SourceRange;
}

const NONE_INVALID: ReadonlySet<string> = new Set();

/**
 * One file through the per-file layers. Fast path: a plain file that passes them needs no
 * position until someone asks for one. Precise path: anything unusual or wrong, with every
 * position, so each problem is located.
 */
function readConfigFile(file: ConfigFile, kind: 'gatehouse' | 'config', positions: PositionMode): ReadConfigFile {
  const plain = positions === 'eager' ? undefined : parsePlainYaml(file.text);
  if (plain !== undefined && isCleanFile(plain.value, kind)) {
    const locator = new DeferredLocator(file.path, file.text);
    return { diagnostics: [], ...asMap(plain.value), invalid: NONE_INVALID, at: (docPath, path, key) => locator.at(docPath, path, key) };
  }

  const parsed = parseYaml(file.path, file.text);
  const none = { invalid: NONE_INVALID, at: () => parsed.locator.position(0) };
  if (parsed.value === undefined) return { diagnostics: parsed.diagnostics, ...none };
  const value = parsed.value === null ? {} : parsed.value;
  const view: ParsedYaml = { ...parsed, value };
  const ids = checkAccountIds(view, 'config');
  applyRepairs(ids.repairs);
  const schema = checkSchema(view, kind, parsed.reportedPointers);
  return {
    diagnostics: [...parsed.diagnostics, ...ids.diagnostics, ...schema.diagnostics],
    ...asMap(value),
    invalid: invalidItems(schema.invalidPointers),
    at: (docPath, path, key) => {
      const item = docPath.reduce<unknown>((node, segment) => (node as Record<string | number, unknown>)[segment], value);
      return parsed.locator.at(item, path, key);
    },
  };
}

/** `{ value }` when the file is a map (an empty file counts as an empty one), else nothing. */
const asMap = (value: unknown): { value?: object } =>
  value === null ? { value: {} } : typeof value === 'object' && !Array.isArray(value) ? { value } : {};

/** Whether the per-file checks (account ids, schema) pass, so the file needs no positions now. */
function isCleanFile(value: unknown, kind: 'gatehouse' | 'config'): boolean {
  const data = value === null ? {} : value;
  return !hasAccountIdProblems(data, 'config') && schemaValidator(kind)(data);
}

function nameOf(section: Section, item: unknown): string | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const name = (item as Record<string, unknown>)[section === 'users' ? 'userName' : 'name'];
  return typeof name === 'string' ? name : undefined;
}

/** `section/index` of every entity with a schema error, `section` for a broken section, `settings` otherwise. */
function invalidItems(pointers: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const p of pointers) {
    const [section, index] = p.slice(1).split('/');
    if (section !== undefined && (SECTIONS as readonly string[]).includes(section)) out.add(index === undefined ? section : `${section}/${index}`);
    else out.add('settings');
  }
  return out;
}
