import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { sep } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** A file's text, or why it was not read; `line`/`col` when the problem is inside the file. */
export type ReadFileOutcome = { readonly text: string } | { readonly error: string; readonly rule: string; readonly line?: number; readonly col?: number };

export type ReadTextResult = { readonly text: string } | { readonly diagnostic: Diagnostic };

export interface ReadFileLimits {
  readonly maxBytes: number;
  /**
   * The real path (symlinks resolved) of the config directory: a file that resolves outside it is
   * not read, so a config (or a pull request adding a symlink) cannot make a diagnostic show the
   * start of a credentials file, or make validate read `/dev/zero`.
   */
  readonly root?: string;
}

/**
 * Reads a UTF-8 text file, safely for a directory that may hold anything: only a regular file
 * (checked on the opened descriptor, which is opened non-blocking so a FIFO cannot stall the
 * open), no larger than `maxBytes` (checked before reading, and again while reading in case it
 * grows), inside `root` after resolving symlinks, and valid UTF-8 (the first bad byte is
 * located rather than silently becoming U+FFFD). Never throws.
 */
export function readTextFileSafely(path: string, limits: ReadFileLimits): ReadFileOutcome {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (err) {
    return { rule: 'read-file', error: reasonOf(err) };
  }
  if (limits.root !== undefined && !isInside(real, limits.root))
    return { rule: 'outside-config', error: 'it resolves (through `..` or a symbolic link) outside the config directory; only files inside it are read' };
  let fd: number | undefined;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { rule: 'not-a-file', error: `it is ${kindOf(stats)}, not a regular file; only regular files are read` };
    if (stats.size > limits.maxBytes) return tooLarge(stats.size, limits.maxBytes);
    const buffer = Buffer.allocUnsafe(Math.min(stats.size, limits.maxBytes) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      // The file grew between fstat and read.
      if (length > limits.maxBytes) return tooLarge(length, limits.maxBytes, true);
      if (length === buffer.length) break;
    }
    return decodeUtf8(buffer.subarray(0, length));
  } catch (err) {
    return { rule: 'read-file', error: reasonOf(err) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** readTextFileSafely as a diagnostic for a file read in its own right (a config YAML file). */
export function readConfigText(path: string, limits: ReadFileLimits): ReadTextResult {
  const read = readTextFileSafely(path, limits);
  if ('text' in read) return read;
  return {
    diagnostic: {
      severity: 'error',
      rule: read.rule,
      message: read.line === undefined ? `cannot read ${path}: ${read.error}` : read.error,
      source: { file: path, line: read.line ?? 1, col: read.col ?? 1 },
    },
  };
}

/** The same for callers that are async (CLI commands reading an organisation file). */
export async function readTextFileCapped(path: string, maxBytes: number, root?: string): Promise<ReadTextResult> {
  return readConfigText(path, { maxBytes, ...(root !== undefined && { root }) });
}

/** The real path of a directory, for ReadFileLimits.root; undefined when it cannot be resolved. */
export function realDirectory(dir: string): string | undefined {
  try {
    return realpathSync(dir);
  } catch {
    return undefined;
  }
}

const isInside = (real: string, root: string): boolean => real.startsWith(root.endsWith(sep) ? root : root + sep);

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Buffer): ReadFileOutcome {
  try {
    return { text: STRICT_UTF8.decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, offset).toString('utf8');
    const lineStart = before.lastIndexOf('\n') + 1;
    return {
      rule: 'invalid-utf8',
      error: `the file is not valid UTF-8 text (byte 0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, '0')} at byte offset ${offset}); save it as UTF-8`,
      line: before.split('\n').length,
      col: before.length - lineStart + 1,
    };
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte → sequence length and the allowed range of the second byte (no overlongs, no
    // surrogates, nothing above U+10FFFF), as in the Unicode standard's table 3-7.
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) n = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n > bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += n;
  }
  return bytes.length;
}

const tooLarge = (size: number, max: number, grew = false): ReadFileOutcome => ({
  rule: 'file-too-large',
  error: `it is ${grew ? 'more than ' : ''}${size} bytes, over the limit of ${max} bytes per file (settings limits.maxFileBytes, default 5 MiB); split it into several files`,
});

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    default:
      return code ?? 'unreadable';
  }
}
