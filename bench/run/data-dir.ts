import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateConfig } from '../gen/generate-config.js';
import { MANIFEST_FILE, type Manifest } from '../gen/manifest.js';
import type { SizeName } from '../gen/model.js';
import { mutateConfig, type MutationSummary } from '../gen/mutate.js';
import { createRandom } from '../gen/random.js';
import { generateInto, writeConfig } from '../gen/write-config.js';

/** The generated config for a size and seed, generating it first when missing or different. */
export function ensureData(dir: string, size: SizeName, seed: number): Manifest {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.size === size && manifest.seed === seed) return manifest;
  }
  return generateInto(size, seed, dir);
}

/** A temp copy of the config with about 1% of it edited (see gen/mutate.ts). */
export function writeChangedCopy(size: SizeName, seed: number): { dir: string; summary: MutationSummary } {
  const { config } = generateConfig(size, seed);
  const { config: changed, summary } = mutateConfig(config, createRandom(seed).fork('one-percent-change'));
  const dir = join(mkdtempSync(join(tmpdir(), `gatehouse-bench-${size}-`)), 'config');
  // The expected count is not needed for the changed copy; the manifest records the original's.
  writeConfig(changed, -1, dir);
  return { dir, summary };
}
