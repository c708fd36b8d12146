import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error } from '../entries.js';
import { pointer, type ParsedYaml } from '../yaml/parse-yaml.js';

export interface AccountIdCheck {
  readonly diagnostics: Diagnostic[];
  /** Pointers of the values reported here, for the schema check to skip. */
  readonly pointers: ReadonlySet<string>;
  /**
   * The ids as the user meant them (the digits as written), so the rest of the checks can run on
   * the entity instead of dropping it; apply with `applyRepairs` after reporting.
   */
  readonly repairs: readonly AccountIdRepair[];
}

export interface AccountIdRepair {
  readonly container: object;
  readonly key: string | number;
  readonly id: string;
}

/** Replaces unquoted account ids by the string the user meant (the diagnostics stay). */
export function applyRepairs(repairs: readonly AccountIdRepair[]): void {
  for (const r of repairs) (r.container as Record<string | number, unknown>)[r.key] = r.id;
}

type Path = (string | number)[];

/**
 * Account ids must be 12-digit strings. YAML reads an unquoted `012345678901` as the number
 * 12345678901 — the leading zero is gone before any later check could see it — so this rule
 * runs on the raw parsed data, before the schema, and asks for quotes.
 */
export function checkAccountIds(parsed: ParsedYaml, kind: 'config' | 'organization'): AccountIdCheck {
  const diagnostics: Diagnostic[] = [];
  const pointers = new Set<string>();
  const repairs: AccountIdRepair[] = [];
  visitAccountIds(parsed.value, kind, (container, key, path, what) => {
    const value = container[key];
    if (typeof value === 'number') {
      const source = parsed.locator.at(parsed.value, [...path, key]);
      pointers.add(pointer([...path, key]));
      const written = parsed.locator.numberSource(container, key) ?? String(value);
      const digits = /^\d+$/.test(written) ? written : String(value);
      if (/^\d+$/.test(digits)) repairs.push({ container, key, id: digits });
      const hint = digits.length === 12 ? `"${digits}"` : `a quoted 12-digit id such as "${digits.padStart(12, '0')}"`;
      diagnostics.push(
        error(
          'unquoted-account-id',
          `${what} ${written} is written as a number; YAML reads it as ${value}${written !== String(value) ? ' (leading zeros lost)' : ''}. Quote it: ${hint}`,
          source,
        ),
      );
    } else if (isWrongLengthId(value)) {
      diagnostics.push(
        error(
          'account-id-length',
          `${what} "${value}" has ${value.length} digits; AWS account ids have exactly 12 (a lost leading zero?)`,
          parsed.locator.at(parsed.value, [...path, key]),
        ),
      );
    }
  });
  return { diagnostics, pointers, repairs };
}

/** Whether checkAccountIds would report anything, without needing positions. */
export function hasAccountIdProblems(value: unknown, kind: 'config' | 'organization'): boolean {
  let found = false;
  visitAccountIds(value, kind, (container, key) => {
    const id = container[key];
    found ||= typeof id === 'number' || isWrongLengthId(id);
  });
  return found;
}

const isWrongLengthId = (value: unknown): value is string => typeof value === 'string' && /^\d+$/.test(value) && value.length !== 12;

type Visit = (container: Record<string | number, unknown>, key: string | number, path: Path, what: string) => void;

/** Calls `visit` for every place of a file that holds an account id. */
function visitAccountIds(root: unknown, kind: 'config' | 'organization', visit: Visit): void {
  const check = (container: unknown, key: string | number, path: Path, what: string): void => {
    if (container !== null && typeof container === 'object') visit(container as Record<string | number, unknown>, key, path, what);
  };
  const each = (list: unknown, path: Path, what: string): void => {
    if (Array.isArray(list)) list.forEach((_, i) => check(list, i, path, what));
  };

  if (!isObject(root)) return;
  if (kind === 'organization') {
    check(root, 'managementAccountId', [], 'managementAccountId');
    const walkOus = (ous: unknown, path: Path): void => {
      if (!Array.isArray(ous)) return;
      ous.forEach((ou, i) => {
        if (!isObject(ou)) return;
        walkAccounts(ou.accounts, [...path, i, 'accounts']);
        walkOus(ou.ous, [...path, i, 'ous']);
      });
    };
    const walkAccounts = (accounts: unknown, path: Path): void => {
      if (Array.isArray(accounts)) accounts.forEach((a, i) => check(a, 'id', [...path, i], 'account id'));
    };
    walkAccounts(root.accounts, ['accounts']);
    walkOus(root.ous, ['ous']);
    return;
  }
  if (Array.isArray(root.assignments)) {
    root.assignments.forEach((a, i) => {
      if (!isObject(a)) return;
      each(a.accounts, ['assignments', i, 'accounts'], 'account');
      if (isObject(a.exclude)) each(a.exclude.accounts, ['assignments', i, 'exclude', 'accounts'], 'excluded account');
    });
  }
  if (Array.isArray(root.guardrails)) {
    root.guardrails.forEach((g, i) => {
      if (isObject(g) && isObject(g.deny)) each(g.deny.accounts, ['guardrails', i, 'deny', 'accounts'], 'account');
    });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
