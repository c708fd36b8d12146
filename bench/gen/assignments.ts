import { createExpander } from './expand.js';
import type { GroupDirectory } from './groups.js';
import type { GenAccount, GenOrganization, GenOuTarget, GenRule } from './model.js';
import { costCenter, ENVIRONMENTS } from './organization.js';
import type { Team } from './people.js';
import { businessUnitSets, teamOperatorSet, type PermissionSetCatalog } from './permission-sets.js';
import { zipfSampler, type Random } from './random.js';
import type { SizeProfile } from './sizes.js';

export interface RuleInputs {
  readonly profile: SizeProfile;
  readonly organization: GenOrganization;
  readonly businessUnits: readonly string[];
  readonly teams: readonly Team[];
  readonly groups: GroupDirectory;
  readonly catalog: PermissionSetCatalog;
  readonly sandboxOwners: ReadonlyMap<string, string>;
  /** Non-engineers, for vendor-style expiring direct grants. */
  readonly outsiders: readonly string[];
  readonly now: Date;
}

const ou = (path: string, recursive = true): GenOuTarget => ({ path, recursive });

type RuleDraft = Partial<Omit<GenRule, 'file' | 'permissionSets'>> & { readonly permissionSets: readonly string[] };

const rule = (file: string, draft: RuleDraft): GenRule => ({
  users: draft.users ?? [],
  groups: draft.groups ?? [],
  permissionSets: draft.permissionSets,
  accounts: draft.accounts ?? [],
  ous: draft.ous ?? [],
  accountTags: draft.accountTags ?? {},
  exclude: draft.exclude ?? { accounts: [], ous: [] },
  ...(draft.expires !== undefined && { expires: draft.expires }),
  ...(draft.reason !== undefined && { reason: draft.reason }),
  file,
});

export const assignmentFile = (name: string): string => `assignments/${name}.yaml`;

/**
 * The organisation's standing rules, then cross-team grants until the expansion reaches the
 * size's target: the realistic part fixes the shape, the calibration fixes the scale.
 */
export function generateRules(inputs: RuleInputs, random: Random): GenRule[] {
  const { organization, businessUnits, teams, groups, catalog } = inputs;
  const rules: GenRule[] = [];
  const accountsIn = (prefix: string): GenAccount[] => organization.accounts.filter((a) => a.ouPath.startsWith(prefix));
  const prodAccounts = accountsIn('/Root/Workloads/Prod/');
  const restricted = prodAccounts.filter((a) => a.tags['data-classification'] === 'restricted');
  const management = organization.accounts.find((a) => a.id === organization.managementAccountId) as GenAccount;
  const network = organization.accounts.filter((a) => /^(network-hub|transit|egress)/.test(a.name)).map((a) => a.name);

  const orgWide = assignmentFile('org-wide');
  rules.push(
    rule(orgWide, {
      groups: ['everyone-readonly'],
      permissionSets: ['ViewOnlyAccess'],
      ous: [ou('/Root/Workloads')],
      exclude: { accounts: restricted.slice(0, 3).map((a) => a.name), ous: [] },
    }),
    rule(orgWide, {
      groups: ['all-engineers'],
      permissionSets: ['ReadOnlyAccess'],
      ous: [ou('/Root/Workloads/NonProd'), ou('/Root/Workloads/Dev'), ou('/Root/Workloads', false)],
    }),
    rule(orgWide, { groups: ['platform-admins'], permissionSets: ['AdministratorAccess'], ous: [ou('/Root/Infrastructure')] }),
    rule(orgWide, {
      groups: ['platform-admins'],
      permissionSets: ['PowerUserAccess', 'SupportUser'],
      ous: [ou('/Root/Workloads')],
      exclude: { accounts: [], ous: [ou('/Root/Workloads/Prod')] },
    }),
    rule(orgWide, { groups: ['security-auditors'], permissionSets: ['SecurityAudit', 'ReadOnlyAccess'], ous: [ou('/Root')] }),
    rule(orgWide, { groups: ['security-auditors'], permissionSets: ['AdministratorAccess'], ous: [ou('/Root/Security')] }),
    rule(orgWide, { groups: ['incident-responders'], permissionSets: ['IncidentResponse'], accountTags: { env: 'prod' } }),
    rule(orgWide, { groups: ['sre-oncall'], permissionSets: ['SystemAdministrator'], accountTags: { env: 'prod' } }),
    rule(orgWide, { groups: ['sre-oncall'], permissionSets: ['NetworkAdministrator'], accounts: network }),
    // The management account is reached only by naming it, here by its quoted id.
    rule(orgWide, { groups: ['finops'], permissionSets: ['Billing'], accounts: [management.id] }),
    rule(orgWide, { groups: ['finops'], permissionSets: ['ViewOnlyAccess'], ous: [ou('/Root/Workloads/Prod')] }),
    rule(orgWide, {
      groups: ['data-analysts'],
      permissionSets: ['DataScientist'],
      accountTags: { 'data-classification': 'internal' },
      exclude: { accounts: [], ous: [ou('/Root/Sandbox')] },
    }),
  );

  rules.push(
    rule(assignmentFile('break-glass'), {
      users: groups.platformAdmins.slice(0, 3),
      groups: ['break-glass-admins'],
      permissionSets: ['BreakGlass'],
      ous: [ou('/Root')],
      accounts: [management.name],
      reason: 'Emergency access, runbook RB-001',
    }),
  );

  const sandbox = assignmentFile('sandbox');
  for (const [account, owner] of inputs.sandboxOwners) {
    rules.push(rule(sandbox, { users: [owner], permissionSets: ['AdministratorAccess'], accounts: [account] }));
  }
  rules.push(rule(sandbox, { groups: ['all-engineers'], permissionSets: ['ViewOnlyAccess'], ous: [ou('/Root/Sandbox', false)] }));

  const vendors = assignmentFile('vendors');
  const workloadAccounts = accountsIn('/Root/Workloads/');
  for (let i = 0; i < 3; i++) {
    rules.push(
      rule(vendors, {
        users: random.sample(inputs.outsiders, random.between(1, 2)),
        permissionSets: ['ReadOnlyAccess'],
        accounts: random.sample(workloadAccounts, random.between(2, 3)).map((a) => a.name),
        expires: `${2030 + i}-06-30T00:00:00Z`,
        reason: `VND-${4100 + i} external audit`,
      }),
    );
  }
  const firstProject = groups.projectGroups[0];
  if (firstProject) {
    rules.push(
      rule(vendors, {
        groups: [firstProject],
        permissionSets: ['DataScientist'],
        accountTags: { 'cost-center': costCenter(businessUnits, businessUnits[0] as string), env: 'dev' },
        expires: '2031-01-01T00:00:00Z',
        reason: 'Project sunset date',
      }),
    );
  }

  for (const bu of businessUnits) {
    const file = assignmentFile(`bu-${bu}`);
    const ps = businessUnitSets(bu);
    const cc = costCenter(businessUnits, bu);
    rules.push(
      rule(file, { groups: [`${bu}-engineers`], permissionSets: [ps.developer], ous: [ou(`/Root/Workloads/Dev/${bu}`)] }),
      rule(file, { groups: [`${bu}-engineers`], permissionSets: ['ReadOnlyAccess'], ous: [ou(`/Root/Workloads/NonProd/${bu}`)] }),
      rule(file, { groups: [`${bu}-leads`], permissionSets: [ps.deployer, 'ReadOnlyAccess'], accountTags: { 'cost-center': cc, env: 'staging' } }),
      rule(file, { groups: [`${bu}-leads`], permissionSets: ['ReadOnlyAccess'], ous: [ou(`/Root/Workloads/Prod/${bu}`)] }),
    );
    for (const team of teams.filter((t) => t.businessUnit === bu)) {
      const t = team.name;
      rules.push(
        rule(file, {
          groups: [`${t}-devs`],
          permissionSets: [ps.developer],
          accountTags: { team: t },
          exclude: { accounts: [], ous: [ou('/Root/Workloads/Prod')] },
        }),
        rule(file, { groups: [`${t}-devs`], permissionSets: ['ViewOnlyAccess'], accountTags: { team: t, env: 'prod' } }),
        rule(file, { groups: [`${t}-admins`], permissionSets: ['AdministratorAccess'], accountTags: { team: t, env: 'dev' } }),
        rule(file, {
          groups: [`${t}-admins`],
          permissionSets: catalog.operatorTeams.has(t) ? [ps.deployer, teamOperatorSet(t)] : [ps.deployer],
          accountTags: { team: t },
        }),
        rule(file, {
          groups: [`${t}-readonly`],
          permissionSets: ['ReadOnlyAccess'],
          ous: [ou(`/Root/Workloads/Prod/${bu}`), ou(`/Root/Workloads/NonProd/${bu}`)],
        }),
      );
      const lead = groups.teamAdmins.get(t)?.[0];
      if (lead && random.chance(0.2)) {
        rules.push(
          rule(file, { users: [lead], permissionSets: [ps.dataReader], accountTags: { team: t, env: 'prod' }, reason: 'Team lead on call' }),
        );
      }
    }
  }

  // Teams without an account in some environment would get rules that match nothing, which
  // the validator rightly warns about; a tidy organisation has none, so they are dropped.
  const expander = createExpander(organization, inputs.now);
  const standing = rules.filter((r) => expander.targetCount(r) > 0);
  for (const r of standing) expander.add(r);
  addCrossTeamGrants(inputs, random, standing, expander);
  return standing;
}

function addCrossTeamGrants(
  inputs: RuleInputs,
  random: Random,
  rules: GenRule[],
  expander: ReturnType<typeof createExpander>,
): void {
  const { organization, businessUnits, teams } = inputs;
  const file = assignmentFile('cross-team');
  const byRank = [...teams].sort((a, b) => a.rank - b.rank);
  const teamOf = zipfSampler(byRank.length, 0.6, random);
  const workloads = organization.accounts.filter((a) => a.ouPath.startsWith('/Root/Workloads/'));
  let idle = 0;
  for (let n = 0; expander.size < inputs.profile.targetExpanded; n++) {
    const targetBu = random.pick(businessUnits);
    const sets = random.sample(['ReadOnlyAccess', 'ViewOnlyAccess', 'DataScientist', 'SupportUser', businessUnitSets(targetBu).dataReader], random.between(1, 2));
    const principals = Array.from({ length: random.between(1, 3) }, () => `${(byRank[teamOf()] as Team).name}-${random.pick(['readonly', 'devs'])}`);
    const env = random.pick(ENVIRONMENTS);
    const draft: RuleDraft = { groups: [...new Set(principals)], permissionSets: sets };
    const shape = random.weighted([
      ['ou', 0.5],
      ['cost-center', 0.2],
      ['cost-center+env', 0.2],
      ['accounts', 0.1],
    ] as const);
    const target: Partial<RuleDraft> =
      shape === 'ou'
        ? { ous: [ou(`/Root/Workloads/${env.ou}/${targetBu}`)] }
        : shape === 'cost-center'
          ? { accountTags: { 'cost-center': costCenter(businessUnits, targetBu) } }
          : shape === 'cost-center+env'
            ? { accountTags: { 'cost-center': costCenter(businessUnits, targetBu), env: env.env } }
            : { accounts: random.sample(workloads, random.between(2, 5)).map((a) => a.name) };
    const exclude = random.chance(0.1)
      ? { accounts: random.sample(workloads.filter((a) => a.ouPath.endsWith(`/${targetBu}`)), 1).map((a) => a.name), ous: [] }
      : undefined;
    const expires = random.chance(0.05) ? `${random.between(2030, 2032)}-0${random.between(1, 9)}-15T00:00:00Z` : undefined;
    const r = rule(file, {
      ...draft,
      ...target,
      ...(exclude && { exclude }),
      ...(expires !== undefined && { expires }),
      reason: `ACC-${10_000 + n}`,
    });
    const added = expander.add(r);
    if (added === 0) {
      // Saturated target: try another draw, but never loop forever on a tiny organisation.
      if (++idle > 10_000) throw new Error('cannot reach the target expansion count');
      continue;
    }
    idle = 0;
    rules.push(r);
  }
}
