import type { Command } from 'commander';
import { diffAccess, effectiveAccess, effectiveAccessByUser, type AccessGrant } from '../../access/effective-access.js';
import {
  renderAccessDiffJson,
  renderAccessDiffMarkdown,
  renderAccessDiffText,
  renderAccessJsonChunks,
  renderAccessMarkdownChunks,
  renderAccessTextChunks,
  type AccountNames,
} from '../../access/render-access.js';
import { type AccessSide, privilegeDiff } from '../../access/privilege-diff.js';
import { renderPrivilegeDiffMarkdown, renderPrivilegeDiffText } from '../../access/render-privilege-diff.js';
import { privilegeData } from '../../datasets/privilege-data.js';
import { createPrivilegeModel } from '../../privilege/privilege-model.js';
import { expandAssignments } from '../../expand/expand-assignments.js';
import { checkoutConfigAtRef } from '../../git/config-at-ref.js';
import type { Membership, Organization } from '../../model/entities.js';
import type { LiveState } from '../../model/live.js';
import {
  addConfigOption,
  addFormatOption,
  addStoreOptions,
  loadConfigOrReport,
  openStoreFor,
  type CommonOptions,
  type LoadedConfig,
} from '../context.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';
import { renderExpiring } from './access-expiring.js';
import { UserError } from '../../diagnostics/errors.js';
import { type KnownNames, knownNames, requireAccount, requirePermissionSet, requireUser } from '../resolve-names.js';
import { writeChunks } from '../write-chunks.js';
import { relocateSources } from '../relocate-sources.js';

interface AccessOptions extends CommonOptions {
  readonly user?: string;
  readonly account?: string;
  readonly permissionSet?: string;
  readonly live?: boolean;
  readonly base?: string;
  readonly expiring?: string;
}

export function registerAccessCommand(program: Command): void {
  const cmd = program
    .command('access')
    .description('effective access: who can reach which account with which permission set, and through what')
    .option('--user <userName>', 'only this user')
    .option('--account <nameOrId>', 'only this account')
    .option('--permission-set <name>', 'only this permission set')
    .option('--live', 'read the live store instead of the config')
    .option('--expiring <span>', 'only access that ends within this span (e.g. 14d, 2w): every path that grants it expires')
    .option('--base <gitRef>', 'show who gains and loses access compared with the config at this git ref (pull request review)');
  addConfigOption(cmd);
  addStoreOptions(cmd);
  addFormatOption(cmd);
  cmd.action(action(async (opts: AccessOptions) => runAccess(opts)));
}

/** Effective access of the desired state (or the live store), for the CLI commands. */
export async function accessOf(
  opts: CommonOptions & { live?: boolean },
  config: LoadedConfig,
  now: Date,
): Promise<{ grants: AccessGrant[]; organization: Organization; side: AccessSide }> {
  const store = await openStoreFor(opts, config, true);
  // `grants` is built on first use: at bench M it is 8.8 million objects, which `access` itself
  // never builds (it streams them user by user, effectiveAccessByUser).
  const lazily = (organization: Organization, side: AccessSide) => {
    let grants: AccessGrant[] | undefined;
    return {
      organization,
      side,
      get grants(): AccessGrant[] {
        grants ??= effectiveAccess(side);
        return grants;
      },
    };
  };
  try {
    if (opts.live) {
      const live = await store.snapshot();
      return lazily(live.organization, liveSide(live));
    }
    const organization = config.organization ?? (await store.organization());
    const expanded = expandAssignments(config.desired.assignments, organization, now).tuples;
    return lazily(organization, { assignments: expanded, memberships: config.desired.memberships, permissionSets: config.desired.permissionSets });
  } finally {
    await store.close();
  }
}

/** The names a query may use: the config's, and every principal and permission set the side holds. */
function knownNamesOf(desired: LoadedConfig['desired'], organization: Organization, side: AccessSide, where: string): KnownNames {
  const known = knownNames(desired, organization, [], where);
  const users = new Set(known.users);
  const groups = new Set(known.groups);
  const permissionSets = new Set(known.permissionSets);
  for (const t of side.assignments) {
    (t.principalType === 'USER' ? users : groups).add(t.principalName);
    permissionSets.add(t.permissionSetName);
  }
  for (const m of side.memberships) {
    users.add(m.userName);
    groups.add(m.groupName);
  }
  return { ...known, users, groups, permissionSets };
}

/** The live store's assignments, memberships and permission sets, by name (orphans dropped). */
export function liveSide(live: LiveState): AccessSide {
  const memberships: Membership[] = live.memberships.flatMap((m) =>
    m.groupName !== undefined && m.userName !== undefined ? [{ groupName: m.groupName, userName: m.userName }] : [],
  );
  const assignments = live.assignments.flatMap((a) =>
    a.principalName === undefined ? [] : [{ ...a, principalName: a.principalName }],
  );
  return { assignments, memberships, permissionSets: live.permissionSets };
}

/** The side restricted like the grants: one account, one user, one permission set. */
function filterSide(side: AccessSide, opts: AccessOptions, accountId: string | undefined): AccessSide {
  const assignments = side.assignments.filter(
    (t) => (accountId === undefined || t.accountId === accountId) && (opts.permissionSet === undefined || t.permissionSetName === opts.permissionSet),
  );
  if (opts.user === undefined) return { ...side, assignments };
  return {
    ...side,
    assignments: assignments.filter((t) => t.principalType === 'GROUP' || t.principalName === opts.user),
    memberships: side.memberships.filter((m) => m.userName === opts.user),
  };
}

export const accountIndex = (org: Organization): AccountNames => new Map(org.accounts.map((a) => [a.id, a]));

export function resolveAccountId(org: Organization, nameOrId: string): string | undefined {
  return org.accounts.find((a) => a.id === nameOrId || a.name === nameOrId)?.id;
}

async function runAccess(opts: AccessOptions): Promise<number> {
  const now = new Date();
  const config = await loadConfigOrReport(opts.config, now, opts.store);
  if (!config) return EXIT_ERROR;
  const access = await accessOf(opts, config, now);
  const { organization, side } = access;
  const known = knownNamesOf(config.desired, organization, side, opts.live ? 'the live store or the config' : 'the config');
  if (opts.user !== undefined) requireUser(known, opts.user);
  if (opts.permissionSet !== undefined) requirePermissionSet(known, opts.permissionSet);
  const accountId = opts.account === undefined ? undefined : requireAccount(known, opts.account);
  const keep = (g: AccessGrant) =>
    (opts.user === undefined || g.userName === opts.user) &&
    (accountId === undefined || g.accountId === accountId) &&
    (opts.permissionSet === undefined || g.permissionSetName === opts.permissionSet);
  const accounts = accountIndex(organization);

  if (opts.expiring !== undefined) {
    if (opts.live) throw new UserError('--expiring reads `expires` from the config; the live store has no expiry');
    process.stdout.write(renderExpiring(opts.expiring, config, organization, now, opts.format, (g) => keep({ ...g, paths: [] })));
    return EXIT_OK;
  }

  if (opts.base !== undefined) {
    const base = await checkoutConfigAtRef(opts.config, opts.base);
    try {
      const baseConfig = await loadConfigOrReport(base.dir, now, opts.store);
      if (!baseConfig) return EXIT_ERROR;
      // Cite the base's files where they live in the repository, not in the temporary checkout.
      const baseAccess = await accessOf({ ...opts, config: base.dir, live: false }, baseConfig, now);
      const before = relocateSources(baseAccess.grants, base.dir, opts.config).filter(keep);
      const diff = diffAccess(before, access.grants.filter(keep));
      // Privilege first: who gains or loses a level, whatever the permission sets are called.
      const privilege = privilegeDiff(
        createPrivilegeModel(privilegeData()),
        filterSide(baseAccess.side, opts, accountId),
        filterSide(side, opts, accountId),
        organization,
      );
      process.stdout.write(
        opts.format === 'json'
          ? `${renderAccessDiffJson(diff, privilege)}\n`
          : opts.format === 'markdown'
            ? renderPrivilegeDiffMarkdown(privilege, accounts) + renderAccessDiffMarkdown(diff, accounts)
            : renderPrivilegeDiffText(privilege, accounts) + renderAccessDiffText(diff, accounts),
      );
      return EXIT_OK;
    } finally {
      await base.cleanup();
    }
  }

  // User by user: the whole organisation's grants are never held at once.
  const byUser = effectiveAccessByUser(side, {
    ...(opts.user !== undefined ? { userName: opts.user } : {}),
    ...(accountId !== undefined ? { accountId } : {}),
    ...(opts.permissionSet !== undefined ? { permissionSetName: opts.permissionSet } : {}),
  });
  await writeChunks(
    process.stdout,
    opts.format === 'json'
      ? (function* () {
          yield* renderAccessJsonChunks(byUser);
          yield '\n';
        })()
      : opts.format === 'markdown'
        ? renderAccessMarkdownChunks(byUser, accounts)
        : renderAccessTextChunks(byUser, accounts),
  );
  return EXIT_OK;
}
