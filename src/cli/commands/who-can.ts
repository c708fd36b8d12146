import type { Command } from 'commander';
import { accountsInOu, indexOrganization } from '../../expand/organization-index.js';
import { UserError } from '../../diagnostics/errors.js';
import { escapeTerminal } from '../../output/escape-terminal.js';
import { stringifyJson } from '../../output/escape-json.js';
import { addConfigOption, addFormatOption, addStoreOptions, loadConfigOrReport, type CommonOptions } from '../context.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';
import { requireAccount } from '../resolve-names.js';
import { accessOf, knownNamesOf } from './access.js';
import { actionDecider, actionPaths, type ActionPath, renderPathsText, requireAction, strongest, unknownContentOption } from './can.js';
import { effectiveAccessByUser } from '../../access/effective-access.js';
import type { AccessSide } from '../../access/privilege-diff.js';
import type { Answer, UnknownContent } from '../../privilege/permission-set-privilege.js';

// `gatehouse who-can ACTION`: every user who can (or possibly can) do it, with their paths.

interface WhoCanOptions extends CommonOptions {
  readonly account?: string;
  readonly ou?: string;
  readonly accountTag?: string;
  readonly live?: boolean;
  readonly unknownContent: UnknownContent;
}

export function registerWhoCanCommand(program: Command): void {
  const cmd = program
    .command('who-can')
    .description('who can do ACTION? the users, with every path and the statements that decide')
    .argument('<action>', 'an IAM action, e.g. organizations:LeaveOrganization')
    .option('--account <nameOrId>', 'only this account')
    .option('--ou <path>', 'only accounts in this OU (with descendants)')
    .option('--account-tag <key=value>', 'only accounts with this tag')
    .option('--live', 'answer from the live store instead of the config')
    .addOption(unknownContentOption());
  addConfigOption(cmd);
  addStoreOptions(cmd);
  addFormatOption(cmd, ['text', 'json']);
  cmd.action(
    action(async (actionName: string, opts: WhoCanOptions) => {
      const now = new Date();
      const config = await loadConfigOrReport(opts.config, now, opts.store);
      if (!config) return EXIT_ERROR;
      const canonical = requireAction(actionName);
      const { organization, side } = await accessOf(opts, config, now);
      const known = knownNamesOf(config.desired, organization, side, opts.live ? 'the live store or the config' : 'the config');
      let accounts: Set<string> | undefined;
      if (opts.account !== undefined) accounts = new Set([requireAccount(known, opts.account)]);
      if (opts.ou !== undefined) {
        const inOu = accountsInOu(indexOrganization(organization), opts.ou, true);
        if (inOu.length === 0) throw new UserError(`OU "${opts.ou}" has no accounts in the organisation`);
        accounts = new Set(inOu.filter((id) => !accounts || accounts.has(id)));
      }
      if (opts.accountTag !== undefined) {
        const eq = opts.accountTag.indexOf('=');
        if (eq <= 0) throw new UserError(`--account-tag wants key=value, not "${opts.accountTag}"`);
        const [k, v] = [opts.accountTag.slice(0, eq), opts.accountTag.slice(eq + 1)];
        const tagged = organization.accounts.filter((a) => a.tags[k] === v).map((a) => a.id);
        accounts = new Set(tagged.filter((id) => !accounts || accounts.has(id)));
      }
      // Only assignments of a permission set that may allow the action, in the selected accounts,
      // can put a user on the list: effective access of those alone, one user at a time (the
      // organisation's whole effective access is millions of grants at bench M).
      const decide = actionDecider(side.permissionSets, canonical, opts.unknownContent);
      const relevant: AccessSide = {
        ...side,
        assignments: side.assignments.filter((t) => (!accounts || accounts.has(t.accountId)) && decide(t.permissionSetName).answer !== 'no'),
      };
      const users: { userName: string; answer: Answer; paths: ActionPath[] }[] = [];
      for (const grants of effectiveAccessByUser(relevant)) {
        const paths = actionPaths(grants, decide, organization);
        users.push({ userName: grants[0]!.userName, answer: strongest(paths.map((p) => p.decision.answer)), paths });
      }
      if (opts.format === 'json') {
        process.stdout.write(`${stringifyJson({ format_version: 1, action: canonical, users })}\n`);
        return EXIT_OK;
      }
      if (users.length === 0) {
        process.stdout.write(`Nobody can ${canonical}${accounts ? ' in the selected accounts' : ''}.\n`);
        return EXIT_OK;
      }
      const lines: string[] = [];
      for (const u of users) {
        lines.push(`${escapeTerminal(u.userName)}: ${u.answer}`);
        lines.push(...renderPathsText(u.paths));
      }
      const yes = users.filter((u) => u.answer === 'yes').length;
      lines.push('', `${users.length} user${users.length === 1 ? '' : 's'} can ${canonical} (${yes} yes, ${users.length - yes} possibly).`);
      process.stdout.write(`${lines.join('\n')}\n`);
      return EXIT_OK;
    }),
  );
}
