import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../diagnostics/errors.js';
import type { ImportedFile } from './import-config.js';

export interface WriteConfigDirOptions {
  /** Replace a directory that is not empty. */
  readonly force?: boolean;
}

/**
 * Writes the files into `dir` all at once: they go to a temporary sibling directory first,
 * which is renamed into place, so an interrupted import leaves either nothing or everything.
 * With force, an existing directory is moved aside first and removed only once the new one is
 * in place.
 */
export function writeConfigDir(dir: string, files: readonly ImportedFile[], options: WriteConfigDirOptions = {}): void {
  const target = path.resolve(dir);
  const existing = entriesOf(target);
  if (existing === 'file') throw new UserError(`${dir} is a file, not a directory`);
  if (existing.length > 0 && !options.force) {
    throw new UserError(`${dir} is not empty (${existing.length} entries); choose another --out or pass --force to replace it`);
  }
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.import-`));
  try {
    for (const file of files) {
      const to = path.join(staging, ...file.path.split('/'));
      if (!to.startsWith(staging + path.sep)) throw new Error(`refusing to write outside the config directory: ${file.path}`);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, file.content);
    }
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  let aside: string | undefined;
  if (existing.length > 0 || fs.existsSync(target)) {
    aside = `${staging}.old`;
    fs.renameSync(target, aside);
  }
  try {
    fs.renameSync(staging, target);
  } catch (err) {
    if (aside) fs.renameSync(aside, target);
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  if (aside) fs.rmSync(aside, { recursive: true, force: true });
}

function entriesOf(dir: string): string[] | 'file' {
  try {
    const stat = fs.statSync(dir);
    if (!stat.isDirectory()) return 'file';
    return fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
