import path from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { writeFileAtomic } from '../cli/atomic-write.js';
import { isJsonOutput } from '../output/json-mode.js';
import { readActionsEnv } from './actions-env.js';
import { sarifLog } from './sarif.js';
import { annotationCommand, annotationCommands, repositoryPath } from './workflow-commands.js';
import { stringifyJson } from '../output/escape-json.js';

// `--github` and `--sarif FILE` on validate, plan, apply and drift: every diagnostic the command
// reports (config errors, guardrail findings, plan errors) also becomes a workflow command
// annotation at its file:line, and all of them are written to a SARIF file at the end.
// The commands report diagnostics in more than one place (loading the config, planning), so
// they are collected here, for the one command this process runs.

export interface GitHubOptions {
  readonly github?: boolean;
  readonly sarif?: string;
  /**
   * Paths as the repository names them, without annotations: for output that lands in the
   * repository's GitHub (drift --github-issue without --github).
   */
  readonly repositoryPaths?: boolean;
}

export function addGitHubOptions(cmd: Command, what: string): Command {
  return cmd
    .option('--github', `GitHub Actions: annotations at file:line, ${what}, and the job summary (reads GITHUB_* variables)`)
    .option('--sarif <file>', 'also write every validation and guardrail finding as SARIF 2.1.0, for code scanning');
}

interface Session {
  readonly annotations: boolean;
  readonly sarif?: string;
  readonly configDir: string;
  readonly collected: Diagnostic[];
  readonly seen: Set<string>;
}

let session: Session | undefined;

/** Starts collecting for this command; a no-op without --github, --sarif or repositoryPaths. */
export function startDiagnosticOutput(opts: GitHubOptions, configDir: string): void {
  if (!opts.github && !opts.sarif && !opts.repositoryPaths) return;
  session = { annotations: opts.github === true, ...(opts.sarif ? { sarif: opts.sarif } : {}), configDir, collected: [], seen: new Set() };
}

/**
 * The path to read the config directory through. In CI (--github, --sarif) it is relative to the
 * working directory whenever the directory is inside the checkout, so that every location the
 * run prints is the repository's: not only a diagnostic's own file (annotations and SARIF make
 * that relative anyway) but the ones inside messages too, such as a guardrail's "change the
 * guardrail at FILE:LINE" or an expired grant's "(FILE:LINE:COL)", which went into annotations,
 * the plan comment and the drift issue as the runner's absolute path when the workflow passed
 * `--config $GITHUB_WORKSPACE/identity`. So does `drift --github-issue` on its own: the issue is
 * the repository's, read by people who never saw the runner's or a laptop's directories.
 * Otherwise, paths stay as the user typed them.
 */
export function configReadPath(dir: string): string {
  if (!session) return dir;
  const env = readActionsEnv();
  const cwd = process.cwd();
  // Both inside the checkout, so the relative path names nothing outside it (`../identity`
  // from a job's working-directory at most).
  const inCheckout = (p: string) => p === path.resolve(env.workspace) || repositoryPath(p, { workspace: env.workspace, cwd }) !== undefined;
  const absolute = path.resolve(cwd, dir);
  if (!inCheckout(absolute) || !inCheckout(cwd)) return dir;
  return path.relative(cwd, absolute) || '.';
}

/** Called wherever the command reports diagnostics; annotates at once, collects for SARIF. */
export function publishDiagnostics(diagnostics: readonly Diagnostic[]): void {
  if (!session) return;
  const env = readActionsEnv();
  const fresh = diagnostics.filter((d) => {
    const key = formatDiagnostic(d);
    if (session!.seen.has(key)) return false;
    session!.seen.add(key);
    return true;
  });
  session.collected.push(...fresh);
  if (session.annotations && fresh.length > 0) {
    const lines = fresh.map((d) => annotationCommand(d, { workspace: env.workspace, cwd: process.cwd() }));
    // Workflow commands are read from the step's output; stdout stays one JSON document in JSON mode.
    (isJsonOutput() ? process.stderr : process.stdout).write(`${lines.join('\n')}\n`);
  }
}

/** Every diagnostic the command reported so far (empty without --github or --sarif). */
export function reportedDiagnostics(): readonly Diagnostic[] {
  return session ? [...session.collected] : [];
}

/** Ends the command's collection: the "not all shown" notice, and the SARIF file. */
export async function finishDiagnosticOutput(toolVersion: string): Promise<void> {
  const s = session;
  session = undefined;
  if (!s) return;
  const env = readActionsEnv();
  const options = { workspace: env.workspace, cwd: process.cwd() };
  if (s.annotations) {
    const notice = annotationCommands(s.collected, { ...options, ...(s.sarif ? { sarifFile: s.sarif } : {}) }).slice(s.collected.length);
    if (notice.length > 0) (isJsonOutput() ? process.stderr : process.stdout).write(`${notice.join('\n')}\n`);
  }
  if (s.sarif) {
    const fallbackFile = repositoryPath(path.join(s.configDir, 'gatehouse.yaml'), options);
    const log = sarifLog(s.collected, { ...options, toolVersion, ...(fallbackFile ? { fallbackFile } : {}) });
    // DEL, C1 controls and bidi overrides as \uXXXX too: a SARIF viewer prints these strings.
    await writeFileAtomic(s.sarif, `${stringifyJson(log)}\n`);
  }
}

/** Runs a command with its diagnostics collected, and the SARIF file written however it ends. */
export async function withDiagnosticOutput(opts: GitHubOptions & { readonly config: string }, toolVersion: string, run: () => Promise<number>): Promise<number> {
  startDiagnosticOutput(opts, opts.config);
  try {
    return await run();
  } finally {
    await finishDiagnosticOutput(toolVersion);
  }
}
