import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ajv2020, CodeOptions, ErrorObject, Options } from 'ajv/dist/2020.js';
import configSchema from '../../../schemas/config.schema.json' with { type: 'json' };
import gatehouseSchema from '../../../schemas/gatehouse.schema.json' with { type: 'json' };
import organizationSchema from '../../../schemas/organization.schema.json' with { type: 'json' };

// How the three file schemas become validators, shared by the run-time fallback (validators.ts)
// and the build, which writes the same validators as standalone code (standalone-validators-source.ts).

export type SchemaKind = 'gatehouse' | 'config' | 'organization';

export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export type SchemaValidators = Readonly<Record<SchemaKind, SchemaValidator>>;

export const SCHEMA_KINDS: readonly SchemaKind[] = ['config', 'gatehouse', 'organization'];

/** The key each schema is registered under; gatehouse.schema.json refers to `config.schema.json#/...`. */
export const schemaKey = (kind: SchemaKind): string => `${kind}.schema.json`;

export type SchemaObjects = Readonly<Record<SchemaKind, object>>;

/** The schemas as shipped in schemas/; tests pass edited copies. */
export const FILE_SCHEMAS: SchemaObjects = {
  config: configSchema,
  gatehouse: gatehouseSchema,
  organization: organizationSchema,
};

// verbose: errors carry the failing data and schema, which the messages quote.
const AJV_OPTIONS: Options = { allErrors: true, strict: true, allowUnionTypes: true, verbose: true };

// ajv is CommonJS: required on demand, a command whose validators were precompiled never loads it
// (loading it costs a start 50 ms or more).
const require = createRequire(import.meta.url);

/** An ajv holding the three schemas; `code` only for the build (standalone source). */
export function schemaAjv(options: { readonly code?: CodeOptions; readonly schemas?: SchemaObjects } = {}): Ajv2020 {
  const { code, schemas = FILE_SCHEMAS } = options;
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const ajv = new Ajv(code ? { ...AJV_OPTIONS, code } : AJV_OPTIONS);
  for (const kind of SCHEMA_KINDS) ajv.addSchema(schemas[kind], schemaKey(kind));
  return ajv;
}

/** The three validators compiled now (ajv compilation costs more than validating a file). */
export function compileSchemas(): SchemaValidators {
  const ajv = schemaAjv();
  const validator = (kind: SchemaKind): SchemaValidator => ajv.getSchema(schemaKey(kind))!;
  return { config: validator('config'), gatehouse: validator('gatehouse'), organization: validator('organization') };
}

/**
 * What precompiled validators must have been built from to stand in for compileSchemas(): these
 * schemas, these options and this ajv. Content, not file times: a checkout or copy can leave an
 * edited schema older than the build.
 */
export function schemasFingerprint(schemas: SchemaObjects = FILE_SCHEMAS): string {
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  return createHash('sha256').update(JSON.stringify({ ajvVersion, options: AJV_OPTIONS, schemas })).digest('hex');
}

