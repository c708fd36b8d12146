import os from 'node:os';
import path from 'node:path';
import { UserError } from '../diagnostics/errors.js';

/**
 * The SQLite file holding the audit trail (and the apply lock) of a store: the store's own file
 * for the embedded store, so a copy of the store carries its history; `.gatehouse/audit.db` for
 * AWS, which has no file of ours.
 */
export function auditDbPath(storeUrl: string, cwd: string = process.cwd()): string {
  if (storeUrl.startsWith('sqlite:')) return path.resolve(cwd, storeUrl.slice('sqlite:'.length));
  if (storeUrl === 'aws') return path.resolve(cwd, '.gatehouse', 'audit.db');
  throw new UserError(`unknown store "${storeUrl}": use sqlite:PATH or aws`);
}

/** Who is applying: explicit GATEHOUSE_ACTOR, then CI's GITHUB_ACTOR, then the OS user. */
export function resolveActor(env: NodeJS.ProcessEnv = process.env): string {
  return env.GATEHOUSE_ACTOR || env.GITHUB_ACTOR || osUserName();
}

function osUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): still record something rather than fail the apply.
    return 'unknown';
  }
}
