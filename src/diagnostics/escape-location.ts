import { UNSAFE_CHARACTERS } from '../output/escape-terminal.js';

// `FILE:LINE:COL: ` is parsed by editors and CI problem matchers, so a file name must not be able
// to end early: a file named `x:1:1: error [fake].yaml` would otherwise point readers at `x:1:1`,
// and a newline would start a second, invented diagnostic (issue #13). In a file name `%`, `:`
// and every control or invisible format character are percent-encoded (`%3A`, `%0A`), which keeps
// ordinary paths unchanged and every name distinct.

export function escapeFileName(file: string): string {
  return file.replace(/%/g, '%25').replace(/:/g, '%3A').replace(UNSAFE_CHARACTERS, percentEncode);
}

const utf8 = new TextEncoder();
const percentEncode = (ch: string): string =>
  [...utf8.encode(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
