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
import { accessOf, resolveAccountId } from './access.js';

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
      const config = await loadConfigOrReport(opts.config, now);
      if (!config) return EXIT_ERROR;
      const { grants, organization } = await accessOf(opts, config, now);
      const accountId = resolveAccountId(organization, account);
      if (!accountId) {
        process.stderr.write(`Error: account "${account}" is not in the organisation\n`);
        return EXIT_ERROR;
      }
      const grant = grants.find((g) => g.userName === userName && g.accountId === accountId && g.permissionSetName === permissionSet);
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify({ format_version: 1, userName, permissionSet, accountId, granted: !!grant, paths: grant?.paths ?? [] }, null, 2)}\n`);
        return EXIT_OK;
      }
      const where = `${account}${account === accountId ? '' : ` (${accountId})`}`;
      if (!grant) {
        process.stdout.write(`No: nothing gives ${userName} ${permissionSet} in ${where}.\n`);
        return EXIT_OK;
      }
      process.stdout.write(`Yes: ${userName} has ${permissionSet} in ${where} through ${grant.paths.length} path${grant.paths.length === 1 ? '' : 's'}:\n`);
      for (const p of grant.paths) process.stdout.write(`  - ${describePath(p)}\n`);
      return EXIT_OK;
    }),
  );
}
