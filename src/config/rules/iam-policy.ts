import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, type ConfigRule } from '../entries.js';

/** A problem inside a policy document, at a path within it. */
export interface PolicyProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);

/**
 * Checks the grammar of an IAM policy document (the parts IAM rejects outright), so a bad
 * inline policy fails at validate instead of halfway through an apply.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
export function checkPolicyDocument(doc: unknown): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const add = (path: (string | number)[], message: string): void => void problems.push({ path, message });
  if (!isObject(doc)) return [{ path: [], message: 'a policy document must be a JSON object with Version and Statement' }];
  for (const key of Object.keys(doc)) if (!TOP_LEVEL.has(key)) add([key], `unknown top-level key \`${key}\`; a policy has only Version, Id and Statement`);
  if (doc.Version === undefined) add([], 'missing `Version`; write "Version": "2012-10-17"');
  else if (doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17')
    add(['Version'], `\`Version\` must be "2012-10-17" (or the legacy "2008-10-17"), not ${JSON.stringify(doc.Version)}`);
  if (doc.Id !== undefined && typeof doc.Id !== 'string') add(['Id'], '`Id` must be a string');
  const statement = doc.Statement;
  if (statement === undefined) add([], 'missing `Statement`');
  else if (Array.isArray(statement)) {
    if (statement.length === 0) add(['Statement'], '`Statement` must not be empty');
    statement.forEach((s, i) => checkStatement(s, ['Statement', i], add));
  } else if (isObject(statement)) checkStatement(statement, ['Statement'], add);
  else add(['Statement'], '`Statement` must be an object or a list of objects');
  return problems;
}

function checkStatement(s: unknown, path: (string | number)[], add: (p: (string | number)[], m: string) => void): void {
  if (!isObject(s)) return add(path, 'a statement must be an object');
  for (const key of Object.keys(s)) if (!STATEMENT_KEYS.has(key)) add([...path, key], `unknown statement key \`${key}\``);
  if (s.Sid !== undefined && typeof s.Sid !== 'string') add([...path, 'Sid'], '`Sid` must be a string');
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
    add(s.Effect === undefined ? path : [...path, 'Effect'], `\`Effect\` must be "Allow" or "Deny"${s.Effect === undefined ? '' : `, not ${JSON.stringify(s.Effect)}`}`);
  exactlyOne(s, 'Action', 'NotAction', path, add);
  exactlyOne(s, 'Resource', 'NotResource', path, add);
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    const v = s[key];
    if (v !== undefined && !isStringOrStrings(v)) add([...path, key], `\`${key}\` must be a string or a list of strings`);
  }
  if (s.Principal !== undefined || s.NotPrincipal !== undefined)
    add([...path, s.Principal !== undefined ? 'Principal' : 'NotPrincipal'], 'an identity policy must not name a `Principal`; remove it');
  if (s.Condition !== undefined) {
    if (!isObject(s.Condition)) add([...path, 'Condition'], '`Condition` must be an object of operator → { key: value }');
    else
      for (const [operator, block] of Object.entries(s.Condition))
        if (!isObject(block)) add([...path, 'Condition', operator], `condition operator \`${operator}\` must map to an object of condition keys`);
  }
}

function exactlyOne(s: Record<string, unknown>, a: string, b: string, path: (string | number)[], add: (p: (string | number)[], m: string) => void): void {
  const has = (k: string) => s[k] !== undefined;
  if (has(a) && has(b)) add(path, `a statement must have either \`${a}\` or \`${b}\`, not both`);
  else if (!has(a) && !has(b)) add(path, `a statement must have \`${a}\` (or \`${b}\`)`);
}

/** Every inline policy is a well-formed IAM policy document. */
export const checkInlinePolicies: ConfigRule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const entry of ctx.entries.permissionSets) {
    if (!entry.inlinePolicy) continue;
    const { document, file } = entry.inlinePolicy;
    for (const problem of checkPolicyDocument(document)) {
      // Inline (YAML) documents point at the exact node; a file is pointed at through the field.
      const source = file ? entry.at(['inlinePolicy']) : entry.at(['inlinePolicy', ...problem.path]);
      const inFile = file ? ` in ${file}${problem.path.length ? ` at ${problem.path.join('.')}` : ''}` : '';
      out.push(error('iam-policy', `inline policy of \`${entry.value.name}\`${inFile}: ${problem.message}`, source));
    }
  }
  return out;
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStringOrStrings = (v: unknown): boolean =>
  typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'));
