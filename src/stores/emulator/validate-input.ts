import type { Shape, ServiceModel } from './service-models.js';

// Validates a request body against the operation's input shape the way AWS's front end does:
// required members, lengths, patterns, enums, ranges; every violation is collected into one
// ValidationException message ("2 validation errors detected: ...; ..."). A value of the wrong
// JSON type is a SerializationException instead, as on the wire.

export type InputProblem =
  | {
      readonly kind: 'validation';
      readonly message: string;
      /**
       * The first violation in the words of Organizations' InvalidInputExceptionReason
       * (INPUT_REQUIRED, MAX_LENGTH_EXCEEDED, INVALID_PATTERN, INVALID_ENUM, ...), for the service
       * that answers InvalidInputException instead of ValidationException.
       */
      readonly reason?: string;
    }
  | { readonly kind: 'serialization'; readonly message: string };

export function validateInput(model: ServiceModel, shapeName: string | undefined, input: unknown): InputProblem | undefined {
  const violations: string[] = [];
  const typeErrors: string[] = [];
  const reasons: (string | undefined)[] = [];
  const ctx: Context = { model, violations, typeErrors, reasons };
  if (shapeName) checkValue(ctx, shapeName, input, '');
  else if (input !== undefined && !(isObject(input) && Object.keys(input).length === 0)) {
    violations.push('the operation takes no input');
  }
  if (typeErrors.length > 0) return { kind: 'serialization', message: typeErrors[0]! };
  if (violations.length === 0) return undefined;
  const n = violations.length;
  return {
    kind: 'validation',
    message: `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.join('; ')}`,
    ...(reasons[0] !== undefined ? { reason: reasons[0] } : {}),
  };
}

interface Context {
  readonly model: ServiceModel;
  readonly violations: string[];
  readonly typeErrors: string[];
  /** Organizations' reason for each violation, in order (none for a member the shape lacks). */
  readonly reasons: (string | undefined)[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** AWS names members in messages camelCased, with list items as `tags.1.member.key`. */
const memberPath = (parent: string, member: string): string => {
  const camel = member.charAt(0).toLowerCase() + member.slice(1);
  return parent ? `${parent}.${camel}` : camel;
};

function describe(value: unknown, shape: Shape): string {
  if (shape.sensitive) return "'*** Sensitive Data Redacted ***'";
  if (Array.isArray(value)) return `'[${value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')}]'`;
  if (isObject(value)) return `'{${Object.entries(value).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ')}}'`;
  return `'${String(value)}'`;
}

function fail(ctx: Context, value: unknown, shape: Shape, at: string, constraint: string, reason: string): void {
  ctx.violations.push(`Value ${describe(value, shape)} at '${at}' failed to satisfy constraint: ${constraint}`);
  ctx.reasons.push(reason);
}

function checkValue(ctx: Context, shapeName: string, value: unknown, at: string): void {
  const shape = ctx.model.shapes[shapeName];
  if (!shape) throw new Error(`shape ${shapeName} missing from the ${ctx.model.service} model`);
  // JSON null for an optional member is "not set" on the wire.
  if (value === null) return;
  switch (shape.type) {
    case 'structure':
      return checkStructure(ctx, shapeName, shape, value, at);
    case 'list':
      if (!Array.isArray(value)) return typeError(ctx, shapeName, at, 'a list');
      checkLength(ctx, value, shape, at, value.length);
      value.forEach((item, i) => checkValue(ctx, shape.member!.shape, item, at ? `${at}.${i + 1}.member` : `${i + 1}.member`));
      return;
    case 'map': {
      if (!isObject(value)) return typeError(ctx, shapeName, at, 'a map');
      const entries = Object.entries(value);
      checkLength(ctx, value, shape, at, entries.length);
      for (const [k, v] of entries) {
        checkValue(ctx, shape.key!.shape, k, `${at}.key`);
        checkValue(ctx, shape.value!.shape, v, `${at}.${k}.value`);
      }
      return;
    }
    case 'string':
      if (typeof value !== 'string') return typeError(ctx, shapeName, at, 'a string');
      return checkString(ctx, shape, value, at);
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) return typeError(ctx, shapeName, at, 'an integer');
      if (shape.min !== undefined && value < shape.min) fail(ctx, value, shape, at, `Member must have value greater than or equal to ${shape.min}`, 'MIN_VALUE_EXCEEDED');
      if (shape.max !== undefined && value > shape.max) fail(ctx, value, shape, at, `Member must have value less than or equal to ${shape.max}`, 'MAX_VALUE_EXCEEDED');
      return;
    case 'double':
    case 'float':
      if (typeof value !== 'number') return typeError(ctx, shapeName, at, 'a number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') return typeError(ctx, shapeName, at, 'a boolean');
      return;
    case 'timestamp':
      // JSON 1.1 sends epoch seconds (a number); accept an ISO string too, as Coral does.
      if (typeof value !== 'number' && !(typeof value === 'string' && !Number.isNaN(Date.parse(value)))) {
        return typeError(ctx, shapeName, at, 'a timestamp');
      }
      return;
    case 'blob':
      if (typeof value !== 'string') return typeError(ctx, shapeName, at, 'base64 text');
      return;
    default: {
      const never: never = shape.type;
      throw new Error(`unsupported shape type ${String(never)}`);
    }
  }
}

function typeError(ctx: Context, shapeName: string, at: string, expected: string): void {
  ctx.typeErrors.push(`Value at '${at || 'input'}' (${shapeName}) must be ${expected}`);
}

function checkStructure(ctx: Context, shapeName: string, shape: Shape, value: unknown, at: string): void {
  // A document (e.g. Identity Store's AttributeValue) is any JSON value.
  if (shape.document) return;
  if (!isObject(value)) return typeError(ctx, shapeName, at, 'an object');
  const members = shape.members ?? {};
  for (const name of shape.required ?? []) {
    if (value[name] === undefined || value[name] === null) {
      ctx.violations.push(`Value null at '${memberPath(at, name)}' failed to satisfy constraint: Member must not be null`);
      ctx.reasons.push('INPUT_REQUIRED');
    }
  }
  for (const [name, member] of Object.entries(value)) {
    const ref = members[name];
    if (!ref) {
      ctx.violations.push(`Value at '${memberPath(at, name)}' failed to satisfy constraint: Member is not part of ${shapeName}`);
      ctx.reasons.push(undefined);
      continue;
    }
    checkValue(ctx, ref.shape, member, memberPath(at, name));
  }
  if (shape.union) {
    const set = Object.keys(members).filter((m) => value[m] !== undefined && value[m] !== null);
    if (set.length !== 1) {
      ctx.violations.push(`Value at '${at || 'input'}' failed to satisfy constraint: Exactly one member of ${shapeName} must be set, got ${set.length}`);
      ctx.reasons.push(undefined);
    }
  }
}

function checkLength(ctx: Context, value: unknown, shape: Shape, at: string, length: number): void {
  if (shape.min !== undefined && length < shape.min) fail(ctx, value, shape, at, `Member must have length greater than or equal to ${shape.min}`, 'MIN_LENGTH_EXCEEDED');
  if (shape.max !== undefined && length > shape.max) fail(ctx, value, shape, at, `Member must have length less than or equal to ${shape.max}`, 'MAX_LENGTH_EXCEEDED');
}

function checkString(ctx: Context, shape: Shape, value: string, at: string): void {
  // Lengths count code points, as Smithy's length trait does.
  checkLength(ctx, value, shape, at, [...value].length);
  if (shape.enum && !shape.enum.includes(value)) {
    fail(ctx, value, shape, at, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`, 'INVALID_ENUM');
  }
  if (shape.pattern && !compilePattern(shape.pattern).test(value)) {
    fail(ctx, value, shape, at, `Member must satisfy regular expression pattern: ${shape.pattern}`, 'INVALID_PATTERN');
  }
}

const patterns = new Map<string, RegExp>();

/**
 * AWS (Java) patterns match the whole value, so they are anchored here. `\p{L}` needs the `u`
 * flag, which in turn rejects Java's harmless escapes such as `\_` or `\ `; those are unescaped.
 */
export function compilePattern(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (re) return re;
  const anchored = `^(?:${pattern})$`;
  try {
    re = new RegExp(anchored, 'u');
  } catch {
    try {
      re = new RegExp(anchored);
      if (/\\p\{/.test(pattern)) throw new Error('needs unicode');
    } catch {
      re = new RegExp(unescapeForUnicode(anchored), 'u');
    }
  }
  patterns.set(pattern, re);
  return re;
}

const KEPT_ESCAPES = new Set('dDwWsSbBpPuxnrtfv0123456789ck^$\\.*+?()[]{}|/-'.split(''));

function unescapeForUnicode(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      const next = source[i + 1]!;
      out += KEPT_ESCAPES.has(next) ? c + next : next;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}
