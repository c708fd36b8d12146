import type { ErrorObject } from 'ajv/dist/2020.js';
import { compileSchemas, schemasFingerprint, type SchemaKind, type SchemaValidator, type SchemaValidators } from './schema-compiler.js';
import { loadStandaloneValidators, standaloneValidatorsFile } from './standalone-validators.js';

export type { SchemaKind, SchemaValidator };

// The build precompiles the validators (scripts/build-validators.mjs); loading them costs a few
// ms where compiling costs 80–95. Without a current build they are compiled on first use, as before.
let validators: SchemaValidators | undefined = await loadStandaloneValidators(standaloneValidatorsFile(), schemasFingerprint());

/** The validator of one of the three file schemas. */
export function schemaValidator(kind: SchemaKind): SchemaValidator {
  validators ??= compileSchemas();
  return validators[kind];
}

export type { ErrorObject };
