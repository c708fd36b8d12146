import type { Command } from 'commander';
import { describePath } from '../../access/render-access.js';
import {
  addConfigOption,
  addFormatOption,
  addStoreOptions,
  loadConfigOrReport,
  type CommonOptions,
} from '../context.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';
import { stringifyJson } from '../../output/escape-json.js';
import { escapeTerminal } from '../../output/escape-terminal.js';
import { plural } from '../../output/plural.js';
import { requireAccount, requirePermissionSet, requireUser } from '../resolve-names.js';
import { accessOf, knownNamesOf } from './access.js';
import { effectiveAccess } from '../../access/effective-access.js';

interface ExplainOptions extends CommonOptions {
  readonly live?: boolean;
}

export function registerExplainCommand(program: Command): void {
  const cmd = program
    .command('explain')
    .description('why does a user have a permission set in an account? (every path, with file:line)')
    .argument('<userName>')
    .argument('<permissionSet>')
    .argument('<account>', 'account name or 12-digit id')
    .option('--live', 'explain from the live store instead of the config');
  addConfigOption(cmd);
  addStoreOptions(cmd);
  addFormatOption(cmd, ['text', 'json']);
  cmd.action(
    action(async (userName: string, permissionSet: string, account: string, opts: ExplainOptions) => {
      const now = new Date();
      const config = await loadConfigOrReport(opts.config, now, opts.store);
      if (!config) return EXIT_ERROR;
      const { organization, side } = await accessOf(opts, config, now);
      // Exit codes (README): 0 answered, yes or no; 1 an error, an unknown name included.
      const known = knownNamesOf(config.desired, organization, side, opts.live ? 'the live store or the config' : 'the config');
      requireUser(known, userName);
      requirePermissionSet(known, permissionSet);
      const accountId = requireAccount(known, account);
      const [grant] = effectiveAccess(side, { userName, accountId, permissionSetName: permissionSet });
      if (opts.format === 'json') {
        process.stdout.write(`${stringifyJson({ format_version: 1, userName, permissionSet, accountId, granted: !!grant, paths: grant?.paths ?? [] })}\n`);
        return EXIT_OK;
      }
      const where = escapeTerminal(`${account}${account === accountId ? '' : ` (${accountId})`}`);
      const [who, what] = [escapeTerminal(userName), escapeTerminal(permissionSet)];
      if (!grant) {
        process.stdout.write(`No: nothing gives ${who} ${what} in ${where}.\n`);
        return EXIT_OK;
      }
      process.stdout.write(`Yes: ${who} has ${what} in ${where} through ${plural(grant.paths.length, 'path')}:\n`);
      for (const p of grant.paths) process.stdout.write(`  - ${describePath(p)}\n`);
      return EXIT_OK;
    }),
  );
}
