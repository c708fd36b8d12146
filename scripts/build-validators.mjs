// Precompiles the JSON Schemas of the config files into one ES module (ajv standalone code), so
// a command loads validators instead of compiling them. Runs after tsc (npm run build): it uses
// the compiled generator, and writes dist/generated/schema-validators.js.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { standaloneValidatorsSource } from '../dist/src/config/schema/standalone-validators-source.js';
import { standaloneValidatorsFile } from '../dist/src/config/schema/standalone-validators.js';

const file = standaloneValidatorsFile();
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(file, standaloneValidatorsSource());
