import { dirname, join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceRange } from '../model/desired.js';
import type { InlinePolicyInput } from './entries.js';

/** Reads a referenced file (display path); undefined when missing. Injected so parsing stays pure. */
export type ReadReferencedFile = (path: string) => { text: string } | { error: string };

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
  const fail = (message: string) => ({ diagnostic: { severity: 'error' as const, rule: 'inline-policy-file', message, source } });
  if (!readFile) return fail(`cannot read the policy file ${file} here`);
  const read = readFile(file);
  if ('error' in read) return fail(`cannot read the inline policy file ${file}: ${read.error}`);
  try {
    return { policy: { document: JSON.parse(read.text) as unknown, file } };
  } catch (err) {
    return fail(`the inline policy file ${file} is not valid JSON: ${(err as Error).message}`);
  }
}
