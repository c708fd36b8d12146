import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compareStrings } from '../model/keys.js';

// Which files of a config directory are config. Every *.yaml / *.yml below it by default
// (skipping dot-folders, dot-files and node_modules), or those matching `include:` globs in
// gatehouse.yaml. A file name that is not valid UTF-8 cannot be named in a diagnostic as it is,
// nor read back through a string path: it is reported with its bytes shown as \xHH, and skipped.

const SKIPPED_DIRS = new Set(['node_modules']);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export interface DiscoveredFiles {
  /** Sorted relative paths of the YAML files below `dir`. */
  readonly relative: string[];
  readonly diagnostics: Diagnostic[];
}

export async function discoverYamlFiles(dir: string): Promise<DiscoveredFiles> {
  const relative: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(dir, rel), { withFileTypes: true, encoding: 'buffer' });
    for (const entry of entries) {
      const raw = entry.name as unknown as Buffer;
      const name = decodeUtf8(raw);
      if (name === undefined) {
        if (/\.ya?ml$/i.test(raw.toString('latin1')) || entry.isDirectory()) {
          const shown = join(dir, rel, readableName(raw));
          diagnostics.push({
            severity: 'error',
            rule: 'file-name',
            message: `the file name ${JSON.stringify(readableName(raw))} is not valid UTF-8, so it cannot be read or cited; rename it`,
            source: { file: shown, line: 1, col: 1 },
          });
        }
        continue;
      }
      if (name.startsWith('.')) continue;
      const path = rel === '' ? name : join(rel, name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) await walk(path);
      // Also FIFOs, devices and sockets named *.yaml: the reader refuses them, by name (issue 8).
      } else if (/\.ya?ml$/i.test(name)) relative.push(path);
    }
  };
  await walk('');
  return { relative: relative.sort(compareStrings), diagnostics };
}

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Valid UTF-8 runs as text, every other byte as `\xHH`. */
export function readableName(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      out += `\\x${bytes[i]!.toString(16).toUpperCase().padStart(2, '0')}`;
      i++;
    } else {
      out += strictUtf8.decode(bytes.subarray(i, i + length));
      i += length;
    }
  }
  return out;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  for (const length of [1, 2, 3, 4]) {
    if (i + length > bytes.length) return 0;
    try {
      strictUtf8.decode(bytes.subarray(i, i + length));
      return length;
    } catch {
      /* try a longer sequence */
    }
  }
  return 0;
}

/** The files `include:` selects (globs relative to the directory, `/`-separated). */
export function selectIncluded(relative: readonly string[], include: readonly string[] | undefined): string[] {
  if (include === undefined) return [...relative];
  const patterns = include.map(globToRegExp);
  return relative.filter((rel) => {
    const slashed = rel.split('\\').join('/');
    return patterns.some((p) => p.test(slashed));
  });
}

/** `**` any folders, `*` within one, `?` one character, `{a,b}` alternatives; the rest literal. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:[^/]*/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      re += '(?:';
      depth++;
    } else if (c === '}' && depth > 0) {
      re += ')';
      depth--;
    } else if (c === ',' && depth > 0) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}${')'.repeat(depth)}$`);
}
