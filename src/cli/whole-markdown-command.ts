import { DEFAULT_STORE_URL } from '../stores/open-store.js';

// A Markdown output over its budget says where the whole text is; when it is in no file and no
// job summary, that is a command. Not the command that printed the shortened text (it would
// print the same again), but the same command on the same input with `--max-chars 0`.

/** The flags that choose what a command reads. */
export interface InputFlags {
  readonly config: string;
  readonly store?: string;
  readonly endpointUrl?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly state?: string;
}

/** A word as a POSIX shell reads it back: bare when safe, else single-quoted. */
export const shellWord = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** `gatehouse COMMAND --config … --store … [ARGS] --format markdown --max-chars 0`. */
export function wholeMarkdownCommand(command: string, input: InputFlags, args: readonly string[] = []): string {
  const parts = ['gatehouse', command, ...args.map(shellWord)];
  if (input.config !== '.') parts.push('--config', shellWord(input.config));
  if (input.store !== undefined && input.store !== DEFAULT_STORE_URL) parts.push('--store', shellWord(input.store));
  if (input.state !== undefined) parts.push('--state', shellWord(input.state));
  if (input.endpointUrl !== undefined) parts.push('--endpoint-url', shellWord(input.endpointUrl));
  if (input.region !== undefined) parts.push('--region', shellWord(input.region));
  if (input.profile !== undefined) parts.push('--profile', shellWord(input.profile));
  return [...parts, '--format', 'markdown', '--max-chars', '0'].join(' ');
}
