import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../diagnostics/errors.js';
import { mergeAwsConfig } from '../../sso-config/merge-aws-config.js';
import {
  checkProfileTemplate,
  DEFAULT_PROFILE_TEMPLATE,
  defaultSessionName,
  renderSsoConfig,
  sectionsOf,
  ssoProfilesFor,
  type SsoConfig,
} from '../../sso-config/sso-profiles.js';
import { writeFileAtomic } from '../atomic-write.js';
import { addConfigOption, addStoreOptions, loadConfigOrReport, type CommonOptions } from '../context.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';
import { accessOf, accountIndex } from './access.js';
import { effectiveAccess } from '../../access/effective-access.js';

interface SsoConfigOptions extends CommonOptions {
  readonly user: string;
  readonly live?: boolean;
  readonly template: string;
  readonly sessionName?: string;
  readonly startUrl?: string;
  readonly ssoRegion?: string;
  readonly profileRegion?: string;
  readonly write?: string | boolean;
}

export function registerSsoConfigCommand(program: Command): void {
  const cmd = program
    .command('sso-config')
    .description("AWS CLI profiles for a user: one [sso-session] and a [profile] per account and permission set they can use")
    .requiredOption('--user <userName>', 'the user whose profiles to write')
    .option('--live', 'read access from the live store instead of the config')
    .option('--template <template>', 'profile name template: {account_name} {account_id} {permission_set} {region} {user}', DEFAULT_PROFILE_TEMPLATE)
    .option('--session-name <name>', 'the [sso-session] name (default: the start URL\'s first host label)')
    .option('--start-url <url>', 'the AWS access portal URL (default: instance.ssoStartUrl in gatehouse.yaml)')
    .option('--sso-region <region>', 'the Identity Center region (default: instance.region)')
    .option('--profile-region <region>', 'the region each profile uses for API calls (default: instance.region)')
    .option('--write [file]', 'merge into the AWS config file (default: AWS_CONFIG_FILE or ~/.aws/config), keeping every other line; a backup is written beside it');
  addConfigOption(cmd);
  addStoreOptions(cmd);
  cmd.action(action(async (opts: SsoConfigOptions) => runSsoConfig(opts)));
}

async function runSsoConfig(opts: SsoConfigOptions): Promise<number> {
  const now = new Date();
  const templateProblem = checkProfileTemplate(opts.template);
  if (templateProblem) throw new UserError(`--template: ${templateProblem}`);
  const config = await loadConfigOrReport(opts.config, now, opts.store);
  if (!config) return EXIT_ERROR;
  const settings = config.desired.settings;
  const startUrl = opts.startUrl ?? settings.ssoStartUrl;
  if (startUrl === undefined) {
    throw new UserError('no AWS access portal URL: set instance.ssoStartUrl in gatehouse.yaml or pass --start-url https://NAME.awsapps.com/start');
  }
  if (!/^https:\/\/[^\s/]+(\/\S*)?$/.test(startUrl)) throw new UserError(`the start URL "${startUrl}" is not an https:// URL`);

  // The portal's region is the instance's: guessing it (this used to be us-east-1) writes
  // profiles that cannot sign in.
  const ssoRegion = opts.ssoRegion ?? settings.region;
  if (ssoRegion === undefined) throw new UserError('no Identity Center region: set instance.region in gatehouse.yaml or pass --sso-region REGION');
  const { organization, side } = await accessOf(opts, config, now);
  const grants = effectiveAccess(side, { userName: opts.user });
  const known = opts.live || config.desired.users.some((u) => u.userName === opts.user) || grants.some((g) => g.userName === opts.user);
  if (!known) throw new UserError(`unknown user "${opts.user}": it is not in the config`);
  const profiles = ssoProfilesFor({
    userName: opts.user,
    grants,
    accounts: accountIndex(organization),
    region: opts.profileRegion ?? ssoRegion,
    template: opts.template,
  });
  const sso: SsoConfig = {
    sessionName: opts.sessionName ?? defaultSessionName(startUrl),
    startUrl,
    ssoRegion,
    profiles,
  };
  if (profiles.length === 0) process.stderr.write(`${opts.user} has no access to any account; only the [sso-session] section is written.\n`);

  if (opts.write === undefined || opts.write === false) {
    process.stdout.write(renderSsoConfig(sso));
    return EXIT_OK;
  }
  const file = typeof opts.write === 'string' ? opts.write : awsConfigFile();
  const existing = await readIfExists(file);
  const merged = mergeAwsConfig(existing ?? '', sectionsOf(sso));
  if (merged.text === existing) {
    process.stdout.write(`${file} is up to date (${profiles.length} profile${profiles.length === 1 ? '' : 's'}).\n`);
    return EXIT_OK;
  }
  if (existing !== undefined) await writeFileAtomic(`${file}.gatehouse-backup`, existing);
  await writeFileAtomic(file, merged.text);
  process.stdout.write(
    `Wrote ${file}: ${merged.added} section${merged.added === 1 ? '' : 's'} added, ${merged.replaced} updated, ${merged.removed} removed` +
      `${existing !== undefined ? ` (backup: ${file}.gatehouse-backup)` : ''}.\n`,
  );
  return EXIT_OK;
}

/** Where the AWS CLI reads its config: AWS_CONFIG_FILE, else ~/.aws/config. */
function awsConfigFile(): string {
  const fromEnv = process.env.AWS_CONFIG_FILE;
  if (fromEnv) return fromEnv.startsWith('~/') ? path.join(os.homedir(), fromEnv.slice(2)) : fromEnv;
  return path.join(os.homedir(), '.aws', 'config');
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
