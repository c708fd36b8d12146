import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../package-root.js';
import { SCHEMA_KINDS, type SchemaValidators } from './schema-compiler.js';

/** Where the build writes the precompiled validators (standaloneValidatorsSource). */
export const standaloneValidatorsFile = (): string => path.join(packageRoot(), 'dist', 'generated', 'schema-validators.js');

/**
 * The precompiled validators in `file`, or undefined when they cannot stand in for compiling the
 * schemas now: no file (tests run from src/ without a build), built from other schemas, options
 * or ajv (`fingerprint` differs: a schema edited since the build), or a file that does not load.
 * Compiling is always right, so none of these is an error.
 */
export async function loadStandaloneValidators(file: string, fingerprint: string): Promise<SchemaValidators | undefined> {
  if (!existsSync(file)) return undefined;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (loaded['fingerprint'] !== fingerprint) return undefined;
  if (!SCHEMA_KINDS.every((kind) => typeof loaded[kind] === 'function')) return undefined;
  return loaded as unknown as SchemaValidators;
}
