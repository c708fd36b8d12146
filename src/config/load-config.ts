import { join, normalize } from 'node:path';
import { awsManagedPolicyPaths } from '../datasets/aws-managed-policies.js';
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DesiredState } from '../model/desired.js';
import type { Organization } from '../model/entities.js';
import { discoverYamlFiles, selectIncluded } from './discover-config-files.js';
import type { SourceRange } from '../model/desired.js';
import { parseOrganization } from './organization-file.js';
import { parseConfigFiles, type ConfigFile } from './parse-config-files.js';
import { readConfigText, readTextFileSafely, realDirectory, type ReadFileOutcome } from './read-text-file.js';
import { DEFAULT_MAX_FILE_BYTES } from './settings.js';
import type { PositionMode } from './yaml/parse-plain-yaml.js';
import { parseYaml } from './yaml/parse-yaml.js';

export interface ConfigLoadResult {
  /** Undefined when there is any error. */
  readonly desired?: DesiredState;
  /** The organisation file named by the settings, when there is one and it is valid. */
  readonly organization?: Organization;
  readonly diagnostics: Diagnostic[];
  /** Every file read (display paths), in the order read. */
  readonly files: string[];
}

export interface LoadConfigOptions {
  readonly now?: Date;
  /** Default `on-demand`: positions are worked out only for what is reported or asked for. */
  readonly positions?: PositionMode;
  /**
   * `ignore` when the organisation is read live (`--store aws`): the file named by the settings
   * (written by `import`, possibly stale) is then neither read nor checked against, so it cannot
   * block a plan; the planner checks the config against the live organisation instead.
   */
  readonly organizationFile?: 'read' | 'ignore';
}

const ROOT_FILES = ['gatehouse.yaml', 'gatehouse.yml'];

/**
 * Loads a config directory: every *.yaml / *.yml below it (skipping dot-folders, dot-files and
 * node_modules), the organisation file named by the settings, and the inline policy files the
 * permission sets reference. Paths in diagnostics are `dir` joined with the file's relative path,
 * so they read as the user typed them. Never throws.
 */
export async function loadConfig(dir: string, options: LoadConfigOptions = {}): Promise<ConfigLoadResult> {
  const now = options.now ?? new Date();
  const diagnostics: Diagnostic[] = [];
  let relative: string[];
  try {
    const discovered = await discoverYamlFiles(dir);
    relative = discovered.relative;
    diagnostics.push(...discovered.diagnostics);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (err as Error).message;
    return { diagnostics: [{ severity: 'error', rule: 'read-file', message: `cannot read the config directory ${dir}: ${reason}` }], files: [] };
  }
  const display = (rel: string): string => join(dir, rel);
  const root = realDirectory(dir);
  const rootRel = ROOT_FILES.find((f) => relative.includes(f));
  const files: ConfigFile[] = [];
  let maxBytes = DEFAULT_MAX_FILE_BYTES;
  let organizationRel: string | undefined;
  let organizationAt: SourceRange | undefined;

  if (rootRel !== undefined) {
    const read = readConfigText(display(rootRel), { maxBytes: DEFAULT_MAX_FILE_BYTES, ...(root && { root }) });
    if ('diagnostic' in read) diagnostics.push(read.diagnostic);
    else {
      files.push({ path: display(rootRel), text: read.text });
      let include: string[] | undefined;
      ({ maxBytes, organizationRel, organizationAt, include } = peekSettings(display(rootRel), read.text));
      relative = selectIncluded(relative, include);
    }
  }
  const organizationKey = organizationRel === undefined ? undefined : normalize(organizationRel);
  const unreadFiles: Diagnostic[] = [];
  for (const rel of relative) {
    if (rel === rootRel || normalize(rel) === organizationKey) continue;
    const read = readConfigText(display(rel), { maxBytes, ...(root && { root }) });
    if ('diagnostic' in read) unreadFiles.push(read.diagnostic);
    else files.push({ path: display(rel), text: read.text });
  }
  diagnostics.push(...unreadFiles);

  let organization: Organization | undefined;
  const readFiles = files.map((f) => f.path);
  if (organizationRel !== undefined && options.organizationFile !== 'ignore') {
    const orgPath = display(organizationRel);
    readFiles.push(orgPath);
    const read = readTextFileSafely(orgPath, { maxBytes, ...(root && { root }) });
    if ('text' in read) {
      const result = parseOrganization(read.text, orgPath, { ...(options.positions && { positions: options.positions }) });
      diagnostics.push(...result.diagnostics);
      organization = result.organization;
    } else diagnostics.push(referencedFileProblem('organization file', orgPath, read, organizationAt));
  }

  const parsed = parseConfigFiles(files, {
    now,
    rootFile: display(rootRel ?? 'gatehouse.yaml'),
    ...(organization && { organization }),
    readFile: (path) => readTextFileSafely(path, { maxBytes, ...(root && { root }) }),
    ...(options.positions && { positions: options.positions }),
    unreadFiles,
    awsManagedPolicies: awsManagedPolicyPaths,
  });
  const all = sortDiagnostics([...diagnostics, ...parsed.diagnostics]);
  const failed = all.some((d) => d.severity === 'error');
  return {
    ...(!failed && parsed.desired && { desired: parsed.desired }),
    ...(organization && { organization }),
    diagnostics: all,
    files: readFiles,
  };
}

/** The two settings needed before reading the other files; the full check comes later. */
function peekSettings(path: string, text: string): { maxBytes: number; organizationRel?: string; organizationAt?: SourceRange; include?: string[] } {
  const parsed = parseYaml(path, text);
  const value = parsed.value as { organization?: unknown; limits?: { maxFileBytes?: unknown }; include?: unknown } | null | undefined;
  const max = value?.limits?.maxFileBytes;
  const org = value?.organization;
  const include = value?.include;
  return {
    maxBytes: typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_FILE_BYTES,
    ...(typeof org === 'string' && org.length > 0 && { organizationRel: org, organizationAt: parsed.locator.at(value, ['organization']) }),
    // A malformed `include` is reported by the schema rule; until then, read everything.
    ...(Array.isArray(include) && include.every((g) => typeof g === 'string') && { include: include as string[] }),
  };
}

/**
 * Why a file named by the config was not read: at the reference when the file itself could not
 * be opened (it may be outside the config directory, so nothing of it is shown), inside the file
 * when its content is at fault.
 */
export function referencedFileProblem(what: string, path: string, read: Extract<ReadFileOutcome, { error: string }>, at: SourceRange | undefined): Diagnostic {
  if (read.line !== undefined) return { severity: 'error', rule: read.rule, message: read.error, source: { file: path, line: read.line, col: read.col ?? 1 } };
  return { severity: 'error', rule: read.rule, message: `cannot read the ${what} ${path}: ${read.error}`, ...(at && { source: at }) };
}
