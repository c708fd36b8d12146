import path from 'node:path';
import { Option, type Command } from 'commander';
import { readOrganizationFile } from '../../config/organization-file.js';
import { UserError } from '../../diagnostics/errors.js';
import { importConfig } from '../../import/import-config.js';
import { writeConfigDir } from '../../import/write-config-dir.js';
import type { Organization } from '../../model/entities.js';
import type { LiveState } from '../../model/live.js';
import { openStore } from '../../stores/open-store.js';
import { addStoreOptions, reportDiagnostics, requireExistingStore } from '../context.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';
import { schemaBaseFrom } from '../schemas-dir.js';
import { stringifyJson } from '../../output/escape-json.js';
import { escapeTerminal } from '../../output/escape-terminal.js';

interface ImportOptions {
  readonly out: string;
  readonly store: string;
  readonly organization?: string;
  readonly identitySource: 'internal' | 'external';
  readonly endpointUrl?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly force?: boolean;
  readonly format: 'text' | 'json';
}

export function registerImportCommand(program: Command): void {
  const cmd = program
    .command('import')
    .description('write a config directory that describes the live state, so adopting Gatehouse starts from an empty plan')
    .requiredOption('--out <dir>', 'directory to write (must be empty unless --force)')
    .option('--organization <file>', 'organisation file (accounts, OUs, tags) to load into the embedded store')
    .addOption(
      new Option('--identity-source <source>', 'internal: write users and groups; external: an IdP owns them, only name them')
        .choices(['internal', 'external'])
        .default('internal'),
    )
    .option('--force', 'replace a non-empty --out directory')
    .addOption(new Option('--format <format>', 'output format (json: schemas/output/import.schema.json)').choices(['text', 'json']).default('text'));
  addStoreOptions(cmd);
  cmd.action(action(async (opts: ImportOptions) => runImport(opts)));
}

async function runImport(opts: ImportOptions): Promise<number> {
  let organization: Organization | undefined;
  if (opts.organization !== undefined) {
    const read = await readOrganizationFile(opts.organization);
    if (reportDiagnostics(read.diagnostics) || !read.organization) return EXIT_ERROR;
    organization = read.organization;
  }
  const live = await readLive(opts, organization);
  if (live.organization.accounts.length === 0) {
    throw new UserError(`the store ${opts.store} knows no organisation: pass --organization FILE`);
  }
  const out = path.resolve(opts.out);
  const result = importConfig(live, {
    identitySource: opts.identitySource,
    schemaBase: schemaBaseFrom(out),
    ...(opts.region ? { region: opts.region } : {}),
  });
  writeConfigDir(out, result.files, { force: opts.force === true });
  for (const note of result.notes) process.stderr.write(`note: ${escapeTerminal(note)}\n`);
  const c = result.counts;
  if (opts.format === 'json') {
    const document = { format_version: 1, out: opts.out, counts: c, notes: result.notes };
    process.stdout.write(`${stringifyJson(document)}\n`);
    return EXIT_OK;
  }
  process.stdout.write(
    `Imported ${c.users} users, ${c.groups} groups, ${c.permissionSets} permission sets and ${c.assignments} assignments ` +
      `(written as ${c.rules} rules) into ${escapeTerminal(opts.out)}\n`,
  );
  return EXIT_OK;
}

async function readLive(opts: ImportOptions, organization: Organization | undefined): Promise<LiveState> {
  requireExistingStore(opts.store);
  const store = await openStore(opts.store, {
    readOnly: true,
    ...(organization ? { organization } : {}),
    ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
  });
  try {
    return await store.snapshot();
  } finally {
    await store.close();
  }
}
