import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../diagnostics/errors.js';
import { fsCause } from './atomic-write.js';

// Output too large to hold (an organisation's effective access: a gigabyte of text at bench M)
// goes out piece by piece: pieces are gathered to about 64 KiB, written, and the writer waits
// for the stream to drain, so memory holds one piece, not the document.

const BATCH = 64 * 1024;

export async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  let pending = '';
  const flush = async () => {
    if (pending === '') return;
    const ok = stream.write(pending);
    pending = '';
    if (!ok) await drained(stream);
  };
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length >= BATCH) await flush();
  }
  await flush();
}

/** The stream took the backlog, or it will take nothing more (a closed pipe ends quietly). */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ['drain', 'close', 'error']) stream.removeListener(event, done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error']) stream.once(event, done);
  });
}

/** writeFileAtomic for pieces: a temporary file beside the target, renamed when complete. */
export async function writeChunksAtomic(file: string, chunks: Iterable<string>): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    const out = createWriteStream(tmp);
    const failed = new Promise<never>((_, reject) => out.once('error', reject));
    await Promise.race([writeChunks(out, chunks), failed]);
    await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw new UserError(`cannot write ${file}: ${fsCause(err)}`);
  }
}
