import type { GenAccount, GenOrganization } from './model.js';
import type { Person, Team } from './people.js';
import { zipfSampler, type Random } from './random.js';
import { DOMAIN, type SizeProfile } from './sizes.js';
import { NameRegistry } from './unique-names.js';
import { INFRA_ACCOUNTS, REGIONS, SECURITY_ACCOUNTS, SERVICE_WORDS } from './word-lists.js';

export const ENVIRONMENTS = [
  { ou: 'Prod', env: 'prod', short: 'prod', weight: 0.35 },
  { ou: 'NonProd', env: 'staging', short: 'stg', weight: 0.3 },
  { ou: 'Dev', env: 'dev', short: 'dev', weight: 0.35 },
] as const;

export type Environment = (typeof ENVIRONMENTS)[number];

export const costCenter = (businessUnits: readonly string[], bu: string): string =>
  `CC-${1100 + businessUnits.indexOf(bu) * 37}`;

const CLASSIFICATION: Readonly<Record<Environment['env'], readonly (readonly [string, number])[]>> = {
  prod: [['restricted', 0.2], ['confidential', 0.4], ['internal', 0.4]],
  staging: [['confidential', 0.3], ['internal', 0.7]],
  dev: [['internal', 0.7], ['public', 0.3]],
};

const clamp = (value: number, min: number, max: number): number => Math.max(min, Math.min(max, value));

export interface OrganizationPlan {
  readonly organization: GenOrganization;
  /** Sandbox account name → owning userName. */
  readonly sandboxOwners: ReadonlyMap<string, string>;
}

export function generateOrganization(
  profile: SizeProfile,
  businessUnits: readonly string[],
  teams: readonly Team[],
  people: readonly Person[],
  random: Random,
): OrganizationPlan {
  const ids = new Set<string>();
  const names = new NameRegistry();
  const accounts: GenAccount[] = [];
  const newId = (): string => {
    for (;;) {
      // Leading zeros on purpose: account ids are strings, and a config that loses them is wrong.
      const id = `${String(random.int(1_000_000)).padStart(6, '0')}${String(random.int(1_000_000)).padStart(6, '0')}`;
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };
  const add = (name: string, ouPath: string, tags: Record<string, string>, status?: 'SUSPENDED'): GenAccount => {
    const account: GenAccount = {
      id: newId(),
      name,
      email: `aws+${name}@${DOMAIN}`,
      ouPath,
      ...(status && { status }),
      tags,
    };
    accounts.push(account);
    return account;
  };
  /** `base`, or `base-2`, `base-3`... when taken (never `-1`, which reads like `-l`). */
  const unique = (base: string): string => {
    if (names.claim(base)) return base;
    for (let n = 2; ; n++) if (names.claim(`${base}-${n}`)) return `${base}-${n}`;
  };

  const management = add(names.require('management'), '/Root', {});
  const securityCount = clamp(Math.round(profile.accounts * 0.01), 3, SECURITY_ACCOUNTS.length);
  for (const name of SECURITY_ACCOUNTS.slice(0, securityCount)) {
    add(unique(name), '/Root/Security', { env: 'prod', team: 'security', 'cost-center': 'CC-0100', 'data-classification': 'restricted' });
  }
  const infraCount = clamp(Math.round(profile.accounts * 0.02), 4, INFRA_ACCOUNTS.length * REGIONS.length);
  for (let i = 0; i < infraCount; i++) {
    const base = INFRA_ACCOUNTS[i % INFRA_ACCOUNTS.length] as string;
    const round = Math.floor(i / INFRA_ACCOUNTS.length);
    const name = round === 0 ? base : `${base}-${REGIONS[round - 1]}`;
    add(unique(name), '/Root/Infrastructure', { env: 'shared', team: 'platform', 'cost-center': 'CC-0200', 'data-classification': 'confidential' });
  }

  const sandboxOwners = new Map<string, string>();
  const sandboxCount = Math.round(profile.accounts * 0.12);
  const engineers = people.filter((p) => p.engineer);
  for (const owner of random.sample(engineers, sandboxCount)) {
    const userName = owner.user.userName;
    const name = unique(`sandbox-${userName.slice(0, userName.indexOf('@'))}`);
    add(name, '/Root/Sandbox', { env: 'sandbox', owner: userName, 'cost-center': 'CC-0420' });
    sandboxOwners.set(name, userName);
  }

  const suspendedCount = Math.round(profile.accounts * 0.03);
  const workloadCount = profile.accounts - accounts.length - suspendedCount;
  const byRank = [...teams].sort((a, b) => a.rank - b.rank);
  const teamOf = zipfSampler(byRank.length, 0.9, random);
  const workloadTags = (team: Team, env: Environment): Record<string, string> => ({
    env: env.env,
    team: team.name,
    'cost-center': costCenter(businessUnits, team.businessUnit),
    'data-classification': random.weighted(CLASSIFICATION[env.env]),
  });
  // Two accounts sit directly in non-leaf OUs, so `recursive: false` targets select something.
  add(unique('workloads-shared-tools'), '/Root/Workloads', { env: 'shared', team: 'platform', 'cost-center': 'CC-0200', 'data-classification': 'internal' });
  add(unique('prod-edge-gateway'), '/Root/Workloads/Prod', { env: 'prod', team: 'platform', 'cost-center': 'CC-0200', 'data-classification': 'confidential' });
  for (let i = 2; i < workloadCount; i++) {
    const team = byRank[teamOf()] as Team;
    const env = random.weighted(ENVIRONMENTS.map((e) => [e, e.weight] as const));
    const name = unique(`${team.name}-${random.pick(SERVICE_WORDS)}-${env.short}`);
    add(name, `/Root/Workloads/${env.ou}/${team.businessUnit}`, workloadTags(team, env));
  }
  // Closed accounts keep their tags, so tag targets reach them and must skip them.
  for (let i = 0; i < suspendedCount; i++) {
    const team = byRank[teamOf()] as Team;
    const env = random.weighted(ENVIRONMENTS.map((e) => [e, e.weight] as const));
    add(unique(`closed-${team.name}-${random.pick(SERVICE_WORDS)}`), '/Root/Suspended', workloadTags(team, env), 'SUSPENDED');
  }

  const ouPaths = [
    '/Root/Security',
    '/Root/Infrastructure',
    '/Root/Workloads',
    ...ENVIRONMENTS.flatMap((e) => [`/Root/Workloads/${e.ou}`, ...businessUnits.map((bu) => `/Root/Workloads/${e.ou}/${bu}`)]),
    '/Root/Sandbox',
    '/Root/Suspended',
  ];
  return { organization: { managementAccountId: management.id, ouPaths, accounts }, sandboxOwners };
}
