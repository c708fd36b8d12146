import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateConfig } from './generate-config.js';
import { buildManifest, MANIFEST_FILE, type Manifest } from './manifest.js';
import type { GenConfig, SizeName } from './model.js';
import { renderConfigFiles } from './render.js';

/**
 * Writes a config to `dir`, file by file (the largest size never holds all its text at once).
 * A directory from an earlier run (it has a manifest) is replaced; any other non-empty
 * directory is refused, so a wrong --out cannot wipe someone's work.
 */
export function writeConfig(config: GenConfig, expandedAssignments: number, dir: string): Manifest {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MANIFEST_FILE))) {
      throw new Error(`${dir} is not empty and holds no ${MANIFEST_FILE}: refusing to overwrite it`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const made = new Set<string>();
  const written: { path: string; bytes: number }[] = [];
  for (const file of renderConfigFiles(config)) {
    const path = join(dir, file.path);
    const parent = dirname(path);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(path, file.content);
    written.push({ path: file.path, bytes: Buffer.byteLength(file.content) });
  }
  const manifest = buildManifest(config, expandedAssignments, written);
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export function generateInto(size: SizeName, seed: number, dir: string): Manifest {
  const { config, expandedAssignments } = generateConfig(size, seed);
  return writeConfig(config, expandedAssignments, dir);
}
