import { open } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export type ReadTextResult = { readonly text: string } | { readonly diagnostic: Diagnostic };

/**
 * Reads a UTF-8 text file, refusing files larger than `maxBytes` before reading them (a config
 * directory may hold anything). Invalid UTF-8 decodes to U+FFFD, which the YAML checks report
 * with a position. Never throws.
 */
export async function readTextFileCapped(path: string, maxBytes: number): Promise<ReadTextResult> {
  let handle;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    if (size > maxBytes) return { diagnostic: tooLarge(path, size, maxBytes) };
    const buffer = await handle.readFile();
    // The file may have grown between stat and read.
    if (buffer.length > maxBytes) return { diagnostic: tooLarge(path, buffer.length, maxBytes) };
    return { text: buffer.toString('utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
    return { diagnostic: { severity: 'error', rule: 'read-file', message: `cannot read ${path}: ${reason}`, source: { file: path, line: 1, col: 1 } } };
  } finally {
    await handle?.close();
  }
}

const tooLarge = (path: string, size: number, max: number): Diagnostic => ({
  severity: 'error',
  rule: 'file-too-large',
  message: `the file is ${size} bytes, more than the limit of ${max} (settings limits.maxFileBytes); split it into several files`,
  source: { file: path, line: 1, col: 1 },
});
