import type { Command } from 'commander';
import { type AccessGrant, effectiveAccess } from '../../access/effective-access.js';
import { describePath } from '../../access/render-access.js';
import { privilegeModel } from '../../datasets/privilege-data.js';
import { UserError } from '../../diagnostics/errors.js';
import { didYouMean } from '../../config/text/closest.js';
import type { Organization, PermissionSetSpec } from '../../model/entities.js';
import { escapeTerminal } from '../../output/escape-terminal.js';
import { stringifyJson } from '../../output/escape-json.js';
import { type ActionDecision, type Answer, decideAction, type UnknownContent } from '../../privilege/permission-set-privilege.js';
import { Option } from 'commander';
import { addConfigOption, addFormatOption, addStoreOptions, loadConfigOrReport, type CommonOptions } from '../context.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';
import { requireAccount, requireUser } from '../resolve-names.js';
import { accessOf, knownNamesOf } from './access.js';

// `gatehouse can USER ACTION`: yes / possibly / no, from what each permission set the user
// holds allows (its policies, not its name), with every path: permission set, group, the
// assignment's file:line and the statements that allow or deny.

export interface ActionPath {
  readonly userName: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly permissionSetName: string;
  readonly via: readonly string[];
  readonly decision: ActionDecision;
}

const RANK: Readonly<Record<Answer, number>> = { no: 0, possibly: 1, yes: 2 };
export const strongest = (answers: readonly Answer[]): Answer => answers.reduce<Answer>((a, b) => (RANK[b] > RANK[a] ? b : a), 'no');

/** The catalogue's spelling of an action, or a UserError with a did-you-mean. */
export function requireAction(actionName: string): string {
  const c = privilegeModel().catalogue;
  const id = c.idOf.get(actionName.toLowerCase());
  if (id === undefined) throw new UserError(`unknown IAM action "${actionName}": not in the IAM action catalogue${didYouMean(actionName, c.actions)}`);
  return c.actions[id]!;
}

/** The action's answer per permission set, decided once each (from its content; unknown sets: possibly). */
export function actionDecider(specs: readonly PermissionSetSpec[], actionName: string, unknownContent: UnknownContent = 'possibly'): (permissionSetName: string) => ActionDecision {
  const model = privilegeModel();
  const byName = new Map(specs.map((p) => [p.name, p]));
  const decisions = new Map<string, ActionDecision>();
  return (name) => {
    let decision = decisions.get(name);
    if (!decision) {
      const spec = byName.get(name);
      decision = spec
        ? decideAction(model.catalogue, model.of(spec), actionName, unknownContent)
        : { action: actionName, answer: 'possibly', allowedBy: [], deniedBy: [], notAnalysed: [`not analysed: permission set ${name} is not defined here`] };
      decisions.set(name, decision);
    }
    return decision;
  };
}

/** Every grant's answer for the action, with its paths. */
export function actionPaths(grants: readonly AccessGrant[], decide: (permissionSetName: string) => ActionDecision, org: Organization): ActionPath[] {
  const names = new Map(org.accounts.map((a) => [a.id, a.name]));
  return grants.map((g) => ({
    userName: g.userName,
    accountId: g.accountId,
    accountName: names.get(g.accountId) ?? g.accountId,
    permissionSetName: g.permissionSetName,
    via: g.paths.map(describePath),
    decision: decide(g.permissionSetName),
  }));
}

export function describeDecision(d: ActionDecision): string[] {
  const lines: string[] = [];
  for (const s of d.deniedBy) lines.push(`denied by ${s}`);
  if (d.boundary) lines.push(d.boundary);
  for (const s of d.allowedBy) lines.push(`allowed by ${s}`);
  for (const n of d.notAnalysed) lines.push(n);
  if (lines.length === 0) lines.push('no statement allows it');
  return lines;
}

export function renderPathsText(paths: readonly ActionPath[], indent = '  '): string[] {
  const out: string[] = [];
  for (const p of paths) {
    out.push(`${indent}${p.decision.answer.padEnd(8)} ${escapeTerminal(p.accountName)} (${p.accountId})  ${escapeTerminal(p.permissionSetName)}  via ${p.via.map(escapeTerminal).join('; ')}`);
    for (const line of describeDecision(p.decision)) out.push(`${indent}           ${escapeTerminal(line)}`);
  }
  return out;
}

interface CanOptions extends CommonOptions {
  readonly account?: string;
  readonly live?: boolean;
  readonly unknownContent: UnknownContent;
}

/** --unknown-content, for can and who-can. */
export const unknownContentOption = (): Option =>
  new Option('--unknown-content <how>', 'customer managed policies, whose content the config does not hold: possibly allow anything, or ignore them and answer from the analysed policies')
    .choices(['possibly', 'ignore'])
    .default('possibly');

export function registerCanCommand(program: Command): void {
  const cmd = program
    .command('can')
    .description('can USER do ACTION? yes / possibly / no, with every path and the statements that decide')
    .argument('<userName>')
    .argument('<action>', 'an IAM action, e.g. iam:CreateRole')
    .option('--account <nameOrId>', 'only this account')
    .option('--live', 'answer from the live store instead of the config')
    .addOption(unknownContentOption());
  addConfigOption(cmd);
  addStoreOptions(cmd);
  addFormatOption(cmd, ['text', 'json']);
  cmd.action(
    action(async (userName: string, actionName: string, opts: CanOptions) => {
      const now = new Date();
      const config = await loadConfigOrReport(opts.config, now, opts.store);
      if (!config) return EXIT_ERROR;
      const canonical = requireAction(actionName);
      const { organization, side } = await accessOf(opts, config, now);
      const known = knownNamesOf(config.desired, organization, side, opts.live ? 'the live store or the config' : 'the config');
      requireUser(known, userName);
      const accountId = opts.account === undefined ? undefined : requireAccount(known, opts.account);
      const mine = effectiveAccess(side, { userName, ...(accountId !== undefined ? { accountId } : {}) });
      const paths = actionPaths(mine, actionDecider(side.permissionSets, canonical, opts.unknownContent), organization);
      const answer = strongest(paths.map((p) => p.decision.answer));
      if (opts.format === 'json') {
        process.stdout.write(`${stringifyJson({ format_version: 1, userName, action: canonical, ...(accountId ? { accountId } : {}), answer, paths })}\n`);
        return EXIT_OK;
      }
      const where = accountId ? ` in ${escapeTerminal(opts.account!)}` : '';
      const head = answer === 'yes' ? 'Yes' : answer === 'possibly' ? 'Possibly' : 'No';
      const lines = [`${head}: ${escapeTerminal(userName)} ${answer === 'no' ? 'cannot' : answer === 'yes' ? 'can' : 'may be able to'} ${canonical}${where}${paths.length === 0 ? ' (holds no permission set there)' : ''}`];
      lines.push(...renderPathsText([...paths].sort((a, b) => RANK[b.decision.answer] - RANK[a.decision.answer])));
      process.stdout.write(`${lines.join('\n')}\n`);
      return EXIT_OK;
    }),
  );
}
