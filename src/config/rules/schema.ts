import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { schemaValidator, type ErrorObject, type SchemaKind } from '../schema/validators.js';
import { didYouMean } from '../text/closest.js';
import type { ParsedYaml } from '../yaml/parse-yaml.js';

export interface SchemaCheck {
  readonly diagnostics: Diagnostic[];
  /** JSON pointers (instancePath) of every value the schema rejected, reported or not. */
  readonly invalidPointers: readonly string[];
}

const SETTINGS_KEYS = ['version', 'instance', 'organization', 'ownership', 'ignore', 'safety', 'limits'];

/** Human names for the schema titles, as used in "unknown field `x` in permission set". */
const THING: Readonly<Record<string, string>> = {
  User: 'user',
  Group: 'group',
  PermissionSet: 'permission set',
  Assignment: 'assignment',
  Guardrail: 'guardrail',
  CustomerManagedPolicy: 'customer managed policy reference',
  GatehouseRoot: 'gatehouse.yaml',
  GatehouseConfig: 'config file',
  OrganizationFile: 'organisation file',
  OrganizationAccount: 'account',
  OrganizationOu: 'organisational unit',
};

/**
 * Validates a parsed file against its JSON Schema (ajv, all errors) and turns ajv's errors into
 * messages that say what to change, located at the offending key or value. Values in
 * `skip` were already reported by a more specific rule (unquoted account ids, YAML 1.1
 * booleans); they still count as invalid.
 */
export function checkSchema(parsed: ParsedYaml, kind: SchemaKind, skip: ReadonlySet<string> = new Set()): SchemaCheck {
  const validate = schemaValidator(kind);
  if (validate(parsed.value)) return { diagnostics: [], invalidPointers: [] };
  const errors = relevantErrors(validate.errors ?? []);
  const diagnostics: Diagnostic[] = [];
  for (const error of errors) {
    if (skip.has(error.instancePath)) continue;
    const path = splitPointer(error.instancePath);
    const located = error.keyword === 'additionalProperties';
    const atPath = located ? [...path, (error.params as { additionalProperty: string }).additionalProperty] : path;
    diagnostics.push({
      severity: 'error',
      rule: 'schema',
      message: describe(error, path, kind),
      source: parsed.locator.at(parsed.value, atPath, located),
    });
  }
  return { diagnostics, invalidPointers: errors.map((e) => e.instancePath) };
}

/**
 * ajv reports every branch of a oneOf. Keep the branch whose type fits the data (its errors are
 * the useful ones); when none fits, keep only the oneOf error itself.
 */
function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  for (const oneOf of errors.filter((e) => e.keyword === 'oneOf')) {
    const prefix = `${oneOf.schemaPath}/`;
    const branches = errors.filter((e) => e.schemaPath.startsWith(prefix));
    const typeMismatch = new Set(
      branches
        .filter((e) => e.keyword === 'type' && e.instancePath === oneOf.instancePath)
        .map((e) => e.schemaPath.slice(prefix.length).split('/')[0]),
    );
    const fitting = branches.map((e) => e.schemaPath.slice(prefix.length).split('/')[0]).find((b) => !typeMismatch.has(b));
    for (const e of branches) if (fitting === undefined || !e.schemaPath.startsWith(`${prefix}${fitting}/`)) dropped.add(e);
    if (fitting !== undefined) dropped.add(oneOf);
  }
  return errors.filter((e) => !dropped.has(e));
}

function describe(error: ErrorObject, path: readonly string[], kind: SchemaKind): string {
  const parent = error.parentSchema as { title?: string; description?: string; properties?: Record<string, unknown> } | undefined;
  const field = fieldName(path);
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(parent?.properties ?? {});
      if (kind === 'config' && path.length === 0 && SETTINGS_KEYS.includes(name))
        return `\`${name}\` is a setting: move it to gatehouse.yaml (other files hold only users, groups, permissionSets, assignments, guardrails)`;
      const where = parent?.title ? THING[parent.title] ?? parent.title : `\`${field}\``;
      const hint = didYouMean(name, allowed) || `; allowed: ${allowed.join(', ')}`;
      return `unknown field \`${name}\` in ${where}${hint}`;
    }
    case 'required': {
      const name = (error.params as { missingProperty: string }).missingProperty;
      const where = parent?.title ? THING[parent.title] ?? parent.title : `\`${field}\``;
      return `missing required field \`${name}\` in ${where}`;
    }
    case 'type': {
      const expected = (error.params as { type: string | string[] }).type;
      const list = Array.isArray(expected) ? expected.join(' or ') : expected;
      // `tier: 1` or `enabled: true` where text is expected: quoting is the fix.
      const quote =
        list === 'string' && (typeof error.data === 'number' || typeof error.data === 'boolean')
          ? `; quote it if you mean the text ("${String(error.data)}")`
          : '';
      return `\`${field}\` must be ${article(list)}, not ${describeValue(error.data)}${quote}`;
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      return `\`${field}\` must be one of ${allowed.join(', ')}, not ${describeValue(error.data)}${typeof error.data === 'string' ? didYouMean(error.data, allowed) : ''}`;
    }
    case 'const':
      return `\`${field}\` must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
    case 'minLength':
      return `\`${field}\` must not be empty`;
    case 'minItems':
      return `\`${field}\` needs at least ${(error.params as { limit: number }).limit} entry`;
    case 'minProperties':
    case 'maxProperties':
      return `\`${field}\` needs exactly one of ${Object.keys(parent?.properties ?? {}).map((p) => `\`${p}\``).join(' or ')}`;
    case 'minimum':
    case 'maximum': {
      const { comparison, limit } = error.params as { comparison: string; limit: number };
      return `\`${field}\` must be ${comparison} ${limit}`;
    }
    case 'oneOf':
      return `\`${field}\` is not valid: expected ${lowerFirst(parent?.description ?? 'one of the allowed forms')}`;
    default:
      return `\`${field}\` ${error.message ?? 'is invalid'}`;
  }
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `users[3].name` style name of the value at a path, for messages. */
function fieldName(path: readonly string[]): string {
  if (path.length === 0) return 'file';
  let out = '';
  for (const segment of path) out += /^\d+$/.test(segment) ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  return out;
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty';
  if (value === undefined) return 'no value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}

const article = (type: string): string => {
  const named: Record<string, string> = { object: 'a map', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', null: 'empty' };
  return type.split(' or ').map((t) => named[t] ?? t).join(' or ');
};

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1).replace(/\.$/, '');
