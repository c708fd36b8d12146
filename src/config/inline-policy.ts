import { dirname, join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceRange } from '../model/desired.js';
import type { InlinePolicyInput } from './entries.js';
import { parseJson } from './json/parse-json.js';
import type { ReadFileOutcome } from './read-text-file.js';
import { lineStartsOf, Locator } from './yaml/locator.js';

/**
 * Reads a referenced file (display path). Injected so parsing stays pure; `line`/`col` in an
 * error locate a problem inside the file (invalid UTF-8), otherwise it is reported at the
 * reference.
 */
export type ReadReferencedFile = (path: string) => ReadFileOutcome;

/**
 * The inline policy of a permission set: the object written in YAML, or the JSON file it names
 * (relative to the YAML file that names it).
 */
export function resolveInlinePolicy(
  value: string | Record<string, unknown>,
  yamlFile: string,
  source: SourceRange,
  readFile: ReadReferencedFile | undefined,
): { policy?: InlinePolicyInput; diagnostic?: Diagnostic } {
  if (typeof value !== 'string') return { policy: { document: value } };
  const file = join(dirname(yamlFile), value);
  const fail = (message: string, rule = 'inline-policy-file', at = source) => ({ diagnostic: { severity: 'error' as const, rule, message, source: at } });
  if (!readFile) return fail(`cannot read the policy file ${file} here`);
  const read = readFile(file);
  if ('error' in read) {
    if (read.line !== undefined) return fail(read.error, read.rule, { file, line: read.line, col: read.col ?? 1 });
    return fail(`cannot read the inline policy file ${file}: ${read.error}`, read.rule === 'read-file' ? 'inline-policy-file' : read.rule);
  }
  const parsed = parseJson(read.text);
  if ('error' in parsed) {
    const at = new Locator(file, lineStartsOf(read.text)).position(parsed.offset);
    return fail(`the inline policy file is not valid JSON: ${parsed.error}`, 'inline-policy-json', at);
  }
  return { policy: { document: parsed.value, file } };
}
