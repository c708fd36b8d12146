import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** From dist/src/cli (or src/cli) up to the package root, where schemas/ ships. */
export const SCHEMAS_DIR = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '..', '..', '..', 'schemas'), path.resolve(here, '..', '..', 'schemas')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'config.schema.json'))) ?? candidates[0]!;
})();

/** The schemas folder as a `/`-separated path relative to `dir`, for `$schema=` headers. */
export const schemaBaseFrom = (dir: string): string => path.relative(path.resolve(dir), SCHEMAS_DIR).split(path.sep).join('/');
