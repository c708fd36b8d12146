import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../diagnostics/errors.js';

/**
 * Write to a temporary file beside the target, then rename: readers never see half a file.
 * A failure names the file the user asked for and the cause (ENOSPC, EACCES, EROFS…), never
 * the temporary name, and leaves no temporary file behind.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await writeFile(tmp, content);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw new UserError(`cannot write ${file}: ${fsCause(err)}`);
  }
}

/** `ENOSPC (no space left on device)` from a Node file-system error. */
export function fsCause(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code === 'string') {
    // Node's message is "CODE: description, syscall 'path'"; keep the description only.
    const description = /^[A-Z]+: ([^,]+)/.exec(e.message ?? '')?.[1];
    return description ? `${e.code} (${description})` : e.code;
  }
  return err instanceof Error ? err.message : String(err);
}
