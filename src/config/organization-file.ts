import { createHash } from 'node:crypto';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceRange } from '../model/desired.js';
import type { Account, Organization, OrganizationalUnit } from '../model/entities.js';
import type { OrganizationAccount, OrganizationFile, OrganizationOu } from '../model/generated/organization.js';
import { compareStrings } from '../model/keys.js';
import { error, where } from './entries.js';
import { readTextFileCapped } from './read-text-file.js';
import { applyRepairs, checkAccountIds, hasAccountIdProblems } from './rules/account-ids.js';
import { checkSchema } from './rules/schema.js';
import { schemaValidator } from './schema/validators.js';
import { DEFAULT_MAX_FILE_BYTES } from './settings.js';
import { visible } from './rules/principal-names.js';
import { nameProblem, textProblem } from './text/unsafe-text.js';
import type { Locator } from './yaml/locator.js';
import { parsePlainYaml, type PositionMode } from './yaml/parse-plain-yaml.js';
import { parseYaml } from './yaml/parse-yaml.js';

export interface OrganizationResult {
  readonly organization?: Organization;
  readonly diagnostics: Diagnostic[];
}

const OU_ID = /^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/;

/** Reads and parses an organisation file (display path); never throws. */
export async function readOrganizationFile(path: string, maxBytes = DEFAULT_MAX_FILE_BYTES, options: { readonly positions?: PositionMode } = {}): Promise<OrganizationResult> {
  const read = await readTextFileCapped(path, maxBytes);
  if ('diagnostic' in read) return { diagnostics: [read.diagnostic] };
  return parseOrganization(read.text, path, options);
}

/**
 * Pure: the organisation file as an Organization — OU paths under `/Root`, root accounts in
 * `/Root`, OU ids derived from the path when absent, tags default {} — or diagnostics.
 */
export function parseOrganization(text: string, file: string, options: { readonly positions?: PositionMode } = {}): OrganizationResult {
  // Fast path (see parsePlainYaml): a clean file gives its organisation without any position;
  // anything to report is reported by the precise path below, located.
  const plain = options.positions === 'eager' ? undefined : parsePlainYaml(text);
  if (plain !== undefined) {
    const value = plain.value === null ? {} : plain.value;
    if (!hasAccountIdProblems(value, 'organization') && schemaValidator('organization')(value)) {
      const built = buildOrganization(value as OrganizationFile, undefined);
      if (built.diagnostics.length === 0) return built;
    }
  }

  const parsed = parseYaml(file, text);
  if (parsed.value === undefined) return { diagnostics: [...parsed.diagnostics] };
  const view = { ...parsed, value: parsed.value === null ? {} : parsed.value };
  const ids = checkAccountIds(view, 'organization');
  applyRepairs(ids.repairs);
  const schema = checkSchema(view, 'organization', parsed.reportedPointers);
  const diagnostics = [...parsed.diagnostics, ...ids.diagnostics, ...schema.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics: sortDiagnostics(diagnostics) };
  const built = buildOrganization(view.value as OrganizationFile, parsed.locator);
  return { ...built, diagnostics: sortDiagnostics([...diagnostics, ...built.diagnostics]) };
}

/**
 * The organisation of a schema-valid file, or what is wrong with it. Without a locator (the fast
 * path) the diagnostics carry no real position: the caller then parses again with one.
 */
function buildOrganization(value: OrganizationFile, loc: Locator | undefined): OrganizationResult {
  const at = (node: unknown, path: string[] = []): SourceRange => loc?.at(node, path) ?? { file: '', line: 0, col: 0 };
  const diagnostics: Diagnostic[] = [];
  const ous: OrganizationalUnit[] = [];
  const accounts: Account[] = [];
  // The first definition of each id, name and OU path; located only to name it in an error.
  const accountById = new Map<string, OrganizationAccount>();
  const accountByName = new Map<string, OrganizationAccount>();
  const ouByPath = new Map<string, OrganizationOu>();
  const ouById = new Map<string, OrganizationOu>();
  // Names and tags reach plans and access reports; held to the config's standard (issue 13).
  const checkText = (node: object, path: string[], value: string | undefined, what: string, check = nameProblem): void => {
    const problem = value === undefined ? undefined : check(value);
    if (problem) diagnostics.push(error('unsafe-text', `${what} \`${visible(value!)}\` ${problem}`, at(node, path)));
  };
  const checkTags = (a: OrganizationAccount): void => {
    for (const [key, value] of Object.entries(a.tags ?? {})) {
      const problem = nameProblem(key);
      if (problem) diagnostics.push(error('unsafe-text', `tag key \`${visible(key)}\` ${problem}`, loc?.at(a, ['tags', key], true) ?? at(a)));
      checkText(a, ['tags', key], value, `tag value of \`${visible(key)}\``, textProblem);
    }
  };

  const addAccounts = (list: readonly OrganizationAccount[] | undefined, ouPath: string): void => {
    for (const a of list ?? []) {
      const id = String(a.id);
      const seenId = accountById.get(id);
      if (seenId) diagnostics.push(error('duplicate-name', `account id ${id} is listed twice: here and at ${where(at(seenId))}`, at(a, ['id'])));
      else accountById.set(id, a);
      const seenName = accountByName.get(a.name);
      if (seenName) diagnostics.push(error('duplicate-name', `account name \`${visible(a.name)}\` is used twice: here and at ${where(at(seenName))}; account names must be unique to be targeted by name`, at(a, ['name'])));
      else accountByName.set(a.name, a);
      checkText(a, ['name'], a.name, 'account name');
      checkTags(a);
      accounts.push({
        id,
        name: a.name,
        ouPath,
        ...(a.email !== undefined && { email: a.email }),
        ...(a.status !== undefined && { status: a.status }),
        tags: { ...a.tags },
      });
    }
  };
  const addOus = (list: readonly OrganizationOu[] | undefined, parentPath: string): void => {
    for (const ou of list ?? []) {
      const path = `${parentPath}/${ou.name}`;
      if (ou.name.includes('/')) diagnostics.push(error('schema', `OU name \`${visible(ou.name)}\` must not contain /`, at(ou, ['name'])));
      const seen = ouByPath.get(path);
      if (seen) diagnostics.push(error('duplicate-name', `OU ${path} is defined twice: here and at ${where(at(seen))}`, at(ou, ['name'])));
      else ouByPath.set(path, ou);
      checkText(ou, ['name'], ou.name, 'OU name');
      if (ou.id !== undefined && !OU_ID.test(ou.id))
        diagnostics.push(error('schema', `OU id \`${visible(ou.id)}\` must look like ou-ab12-cd34ef56 (or leave it out to derive one)`, at(ou, ['id'])));
      else if (ou.id !== undefined) {
        // AWS gives every OU its own id; two OUs sharing one would make OU targets ambiguous.
        const seenId = ouById.get(ou.id);
        if (seenId) diagnostics.push(error('duplicate-name', `OU id ${ou.id} is used twice: here and at ${where(at(seenId, ['id']))}`, at(ou, ['id'])));
        else ouById.set(ou.id, ou);
      }
      ous.push({ id: ou.id ?? derivedOuId(path), path, name: ou.name });
      addAccounts(ou.accounts, path);
      addOus(ou.ous, path);
    }
  };
  addAccounts(value.accounts, '/Root');
  addOus(value.ous, '/Root');
  if (!accountById.has(value.managementAccountId) && /^\d{12}$/.test(value.managementAccountId))
    diagnostics.push(error('unknown-reference', `managementAccountId ${value.managementAccountId} is not one of the listed accounts; list it under accounts`, at(value, ['managementAccountId'])));

  if (hasErrors(diagnostics)) return { diagnostics };
  return {
    organization: {
      managementAccountId: value.managementAccountId,
      ous: ous.sort((a, b) => compareStrings(a.path, b.path)),
      accounts: accounts.sort((a, b) => compareStrings(a.id, b.id)),
    },
    diagnostics,
  };
}

/** A stable OU id in AWS's format (ou-xxxx-xxxxxxxx) from the OU's path. */
export function derivedOuId(path: string): string {
  const hex = createHash('sha256').update(path).digest('hex');
  return `ou-${hex.slice(0, 4)}-${hex.slice(4, 12)}`;
}
