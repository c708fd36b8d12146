import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Write to a temporary file beside the target, then rename: readers never see half a file. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}
