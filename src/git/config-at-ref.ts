import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { UserError } from '../diagnostics/errors.js';

/**
 * Materialises the config directory as it was at a git ref (e.g. the pull request's base) in a
 * temp dir, so it can be loaded like any config and compared with the working tree.
 */
export async function checkoutConfigAtRef(configDir: string, ref: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const git = simpleGit(path.resolve(configDir));
  let top: string;
  try {
    top = (await git.revparse(['--show-toplevel'])).trim();
  } catch {
    throw new UserError(`${configDir} is not inside a git repository, so --base ${ref} cannot be read`);
  }
  const rel = path.relative(top, path.resolve(configDir)) || '.';
  const atTop = simpleGit(top);
  let listing: string;
  try {
    listing = await atTop.raw(['ls-tree', '-r', '--name-only', '--full-name', ref, '--', rel]);
  } catch {
    throw new UserError(`git ref "${ref}" not found; fetch it first (e.g. git fetch origin ${ref})`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-base-'));
  const files = listing.split('\n').filter(Boolean);
  for (const file of files) {
    const target = path.join(dir, path.relative(rel, file));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, await atTop.show([`${ref}:${file}`]));
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
