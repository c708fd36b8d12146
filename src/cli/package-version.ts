import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The version users see (`gatehouse --version`, the tool version in SARIF) is package.json's, so
// a release is named in one place. It is read from the installed package itself, found by
// walking up from this module: dist/src/cli/ in a checkout or an `npm install -g` (where
// bin/gatehouse.js is a symlink that Node resolves to the real file), never from the working
// directory, which may be the user's own package.

export const PACKAGE_NAME = 'gatehouse-identity-center';

/** The version in the package.json of the Gatehouse package this module belongs to. */
export function packageVersion(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = path.resolve(from); ; ) {
    const version = versionIn(path.join(dir, 'package.json'));
    if (version !== undefined) return version;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package.json of ${PACKAGE_NAME} above ${from}: the installation is incomplete`);
    dir = parent;
  }
}

function versionIn(file: string): string | undefined {
  let manifest: { name?: unknown; version?: unknown };
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as typeof manifest;
  } catch {
    // Missing, or not ours to read (a package.json of something else): keep walking up.
    return undefined;
  }
  return manifest.name === PACKAGE_NAME && typeof manifest.version === 'string' ? manifest.version : undefined;
}
