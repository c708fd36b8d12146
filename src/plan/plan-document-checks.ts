// A tiny structural validator for documents read back from disk: each check returns the
// first problem as `path: what is wrong`, or undefined. Hand-written rather than a JSON
// Schema because a plan file is our own format and the messages should name the exact spot.

export type Check = (value: unknown, path: string) => string | undefined;

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const str: Check = (v, path) => (typeof v === 'string' ? undefined : `${path} must be a string`);

export const int: Check = (v, path) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? undefined : `${path} must be a non-negative integer`;

export const oneOf =
  (...values: readonly string[]): Check =>
  (v, path) =>
    typeof v === 'string' && values.includes(v) ? undefined : `${path} must be one of ${values.join(', ')}`;

export const optional =
  (check: Check): Check =>
  (v, path) =>
    v === undefined ? undefined : check(v, path);

export const arrayOf =
  (check: Check): Check =>
  (v, path) => {
    if (!Array.isArray(v)) return `${path} must be an array`;
    for (let i = 0; i < v.length; i++) {
      const problem = check(v[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };

export const mapOf =
  (check: Check): Check =>
  (v, path) => {
    if (!isRecord(v)) return `${path} must be an object`;
    for (const [k, x] of Object.entries(v)) {
      const problem = check(x, `${path}.${k}`);
      if (problem) return problem;
    }
    return undefined;
  };

/** An object with exactly these fields (unknown fields are an error: a foreign or newer file). */
export const shape =
  (fields: Readonly<Record<string, Check>>): Check =>
  (v, path) => {
    if (!isRecord(v)) return `${path} must be an object`;
    for (const k of Object.keys(v)) if (!(k in fields)) return `${path}.${k} is not expected`;
    for (const [k, check] of Object.entries(fields)) {
      const problem = check(v[k], `${path}.${k}`);
      if (problem) return problem;
    }
    return undefined;
  };
