import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import configSchema from '../../../schemas/config.schema.json' with { type: 'json' };
import gatehouseSchema from '../../../schemas/gatehouse.schema.json' with { type: 'json' };
import organizationSchema from '../../../schemas/organization.schema.json' with { type: 'json' };

export type SchemaKind = 'gatehouse' | 'config' | 'organization';

export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

let compiled: Record<SchemaKind, ValidateFunction> | undefined;

/** The three file schemas, compiled once (ajv compilation costs more than validating a file). */
export function schemaValidator(kind: SchemaKind): SchemaValidator {
  compiled ??= compileAll();
  return compiled[kind];
}

function compileAll(): Record<SchemaKind, ValidateFunction> {
  // verbose: errors carry the failing data and schema, which the messages quote.
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  ajv.addSchema(configSchema, 'config.schema.json');
  return {
    config: ajv.getSchema('config.schema.json')!,
    gatehouse: ajv.compile(gatehouseSchema),
    organization: ajv.compile(organizationSchema),
  };
}

export type { ErrorObject };
