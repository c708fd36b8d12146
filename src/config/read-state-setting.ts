import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../diagnostics/errors.js';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { readConfigText, realDirectory } from './read-text-file.js';
import { DEFAULT_MAX_FILE_BYTES } from './settings.js';
import { parseYaml } from './yaml/parse-yaml.js';

// The audit commands read the shared state, not the config: but where `state:` in
// gatehouse.yaml says the state lives, `audit verify` must check that chain, not an empty
// default file beside it (which would verify "OK: 0 records"). So they read this one setting,
// through the same safe reader as the loader, without loading the whole config.

/**
 * `state:` of DIR/gatehouse.yaml, or undefined when there is no such file or no such setting.
 * An unreadable or unparsable gatehouse.yaml is an error: guessing the state would verify the
 * wrong chain.
 */
export function readStateSetting(configDir: string): string | undefined {
  const file = path.join(configDir, 'gatehouse.yaml');
  if (!existsSync(file)) return undefined;
  const root = realDirectory(configDir);
  const read = readConfigText(file, { maxBytes: DEFAULT_MAX_FILE_BYTES, ...(root && { root }) });
  if ('diagnostic' in read) throw new UserError(formatDiagnostic(read.diagnostic));
  const parsed = parseYaml(file, read.text);
  const error = parsed.diagnostics.find((d) => d.severity === 'error');
  if (error) throw new UserError(formatDiagnostic(error));
  const state = (parsed.value as { state?: unknown } | null | undefined)?.state;
  return typeof state === 'string' ? state : undefined;
}
