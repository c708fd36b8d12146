import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { diagnosticToJson, formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { printJsonError } from '../output/json-mode.js';
import { configReadPath, publishDiagnostics } from '../ci/diagnostic-output.js';
import { UserError } from '../diagnostics/errors.js';
import { timed } from '../output/debug.js';
import { plural } from '../output/plural.js';
import type { Organization } from '../model/entities.js';
import type { DesiredState } from '../model/desired.js';
import type { LiveStore } from '../stores/live-store.js';
import { DEFAULT_STORE_URL, isAwsStore, openStore } from '../stores/open-store.js';

// What every command shares: the common flags, loading the config, opening the store.


export interface CommonOptions {
  readonly config: string;
  readonly store: string;
  readonly format: 'text' | 'markdown' | 'json';
  readonly endpointUrl?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly timeout?: string;
}

export function addConfigOption(cmd: Command): Command {
  return cmd.option('--config <dir>', 'config directory', '.');
}

export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--store <url>', 'live store: sqlite:PATH (embedded), aws, or aws:REGION (as --region)', DEFAULT_STORE_URL)
    .option('--endpoint-url <url>', 'AWS endpoint (e.g. the gatehouse emulator); also AWS_ENDPOINT_URL')
    .option('--region <region>', 'AWS region (default: instance.region, then AWS_REGION, AWS_DEFAULT_REGION, the profile\'s region)')
    .option('--profile <name>', 'AWS profile (default: AWS_PROFILE); must exist in the AWS config or credentials file')
    .option('--timeout <duration>', 'AWS: longest wait for a connection, an answer, or one call with its retries (default 30s; also GATEHOUSE_HTTP_TIMEOUT)');
}

export function addFormatOption(cmd: Command, formats: readonly string[] = ['text', 'markdown', 'json']): Command {
  return cmd.addOption(new Option('--format <format>', 'output format').choices([...formats]).default('text'));
}

/**
 * Prints diagnostics (`file:line:col: …`) to stderr; true when any is an error. With
 * `--format json` and an error, also the error document on stdout.
 */
export function reportDiagnostics(diagnostics: readonly Diagnostic[], error = 'there are errors'): boolean {
  const sorted = sortDiagnostics(diagnostics);
  for (const d of sorted) process.stderr.write(`${formatDiagnostic(d)}\n`);
  publishDiagnostics(sorted);
  const failed = hasErrors(diagnostics);
  if (failed) printJsonError(error, sorted.map(diagnosticToJson));
  return failed;
}

export interface LoadedConfig {
  readonly desired: DesiredState;
  readonly organization?: Organization;
}

/**
 * A config directory is one with a gatehouse.yaml. Without it, stop at once: loading every YAML
 * file below the current directory of a repository root (workflows, examples, charts) gave a
 * hundred errors about files that were never config (issue #12).
 */
export function requireConfigRoot(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `no such directory ${dir}: pass --config DIR` : `cannot read the config directory ${dir}: ${(err as Error).message}`);
  }
  if (!entries.includes('gatehouse.yaml') && !entries.includes('gatehouse.yml')) {
    throw new UserError(`no gatehouse.yaml in ${dir}: pass --config DIR, or create one with gatehouse init ${dir}`);
  }
}

/**
 * Loads and validates the config; undefined (after printing why) when it has errors. With
 * `--store aws` the organisation is AWS's own, so the organisation file is not consulted: a
 * stale one must not block a plan, and accounts and OUs are checked against the live
 * organisation when the plan expands the assignments (issue 9).
 */
export async function loadConfigOrReport(dir: string, now: Date, store?: string): Promise<LoadedConfig | undefined> {
  requireConfigRoot(configReadPath(dir));
  const live = store !== undefined && isAwsStore(store);
  const result = await timed(`load config ${dir}`, () => loadConfig(configReadPath(dir), { now, ...(live && { organizationFile: 'ignore' as const }) }));
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const summary = `Config has ${plural(errors, 'error')}; fix them and run again.`;
  const failed = reportDiagnostics(result.diagnostics, summary);
  if (failed || !result.desired) {
    process.stderr.write(`${summary}\n`);
    return undefined;
  }
  return { desired: result.desired, ...(result.organization ? { organization: result.organization } : {}) };
}

export async function openStoreFor(
  opts: CommonOptions,
  config: LoadedConfig,
  readOnly: boolean,
): Promise<LiveStore> {
  return timed(`open store ${opts.store.startsWith('sqlite:') ? opts.store : opts.store.split(':')[0]}`, () => openStore(opts.store, {
    readOnly,
    ...(config.organization ? { organization: config.organization } : {}),
    ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
    ...(opts.region ? { region: opts.region } : {}),
    ...(config.desired.settings.region ? { configRegion: config.desired.settings.region } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.timeout ? { httpTimeoutMs: parseDuration(opts.timeout) } : {}),
    ...(config.desired.settings.instanceArn ? { instanceArn: config.desired.settings.instanceArn } : {}),
    ...(config.desired.settings.identityStoreId ? { identityStoreId: config.desired.settings.identityStoreId } : {}),
  }));
}

/**
 * For commands that read what is live (drift, import, `--live`): a missing SQLite file would
 * read as an empty Identity Center, and then everything looks deleted, nothing is imported, or
 * nobody has access. `plan` is the exception (it plans a first apply) and says so itself.
 */
export function requireExistingStore(url: string): void {
  if (!url.startsWith('sqlite:')) return;
  const file = path.resolve(url.slice('sqlite:'.length));
  if (!existsSync(file)) throw new UserError(`no store at ${file}: run gatehouse apply first, or pass --store sqlite:PATH of an existing store`);
}

/** The git commit of the config directory, when it is in a git repository. */
export async function gitCommitOf(dir: string): Promise<string | undefined> {
  try {
    const { simpleGit } = await import('simple-git');
    const head = await simpleGit(dir).revparse(['HEAD']);
    return head.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Parses `30s`, `2m`, `500ms` or a plain number of seconds into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UserError(`invalid duration "${text}": use e.g. 30s, 2m, 500ms`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}
