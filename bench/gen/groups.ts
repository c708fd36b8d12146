import { compareStrings } from './compare.js';
import type { GenGroup } from './model.js';
import type { Person, Team } from './people.js';
import { ORG_GROUP_COUNT } from './people.js';
import type { Random } from './random.js';
import type { SizeProfile } from './sizes.js';
import type { NameRegistry } from './unique-names.js';
import { PROJECT_WORDS, TEAM_WORDS } from './word-lists.js';

export const ORG_GROUPS_FILE = 'groups/org-wide.yaml';
export const teamGroupsFile = (bu: string): string => `groups/teams-${bu}.yaml`;
export const PROJECT_GROUPS_FILE = 'groups/projects.yaml';

/** Names the rule generator needs to refer to. */
export interface GroupDirectory {
  readonly groups: GenGroup[];
  /** Members of `platform-admins`, for direct break-glass grants. */
  readonly platformAdmins: readonly string[];
  readonly projectGroups: readonly string[];
  /** Team name → its admins (for direct grants to a team lead). */
  readonly teamAdmins: ReadonlyMap<string, readonly string[]>;
}

/** `oak`, `owl`... then `oak-oak`, `oak-owl`...: an endless supply of distinct word suffixes. */
function wordsFor(index: number): string {
  const word = TEAM_WORDS[index % TEAM_WORDS.length] as string;
  return index < TEAM_WORDS.length ? word : `${wordsFor(Math.floor(index / TEAM_WORDS.length) - 1)}-${word}`;
}

const userNames = (people: readonly Person[]): string[] => people.map((p) => p.user.userName).sort(compareStrings);
const atLeast = (min: number, fraction: number, total: number): number => Math.max(min, Math.round(total * fraction));

export function generateGroups(
  profile: SizeProfile,
  businessUnits: readonly string[],
  teams: readonly Team[],
  people: readonly Person[],
  random: Random,
  principalNames: NameRegistry,
): GroupDirectory {
  const groups: GenGroup[] = [];
  const add = (name: string, description: string, members: readonly Person[], file: string): string[] => {
    const names = userNames(members);
    groups.push({ name: principalNames.require(name), description, members: names, file });
    return names;
  };
  const engineers = people.filter((p) => p.engineer);
  const others = people.filter((p) => !p.engineer);
  const n = people.length;

  // The few huge groups every company has, and a handful of small privileged ones.
  add('everyone-readonly', 'Every employee: view-only console access to workloads', people, ORG_GROUPS_FILE);
  add('all-engineers', 'All engineers: read access to non-production', engineers, ORG_GROUPS_FILE);
  const platformAdmins = add('platform-admins', 'Platform team: administers shared infrastructure', random.sample(engineers, atLeast(3, 0.002, n)), ORG_GROUPS_FILE);
  add('security-auditors', 'Security: audit access to every account', random.sample(engineers, atLeast(3, 0.005, n)), ORG_GROUPS_FILE);
  add('incident-responders', 'Incident response rota', random.sample(engineers, atLeast(3, 0.01, n)), ORG_GROUPS_FILE);
  add('sre-oncall', 'Site reliability on-call', random.sample(engineers, atLeast(3, 0.02, n)), ORG_GROUPS_FILE);
  add('finops', 'Cloud cost management', random.sample(others, atLeast(2, 0.003, n)), ORG_GROUPS_FILE);
  add('data-analysts', 'Analysts with access to internal data', random.sample(people, atLeast(3, 0.03, n)), ORG_GROUPS_FILE);
  const platformPeople = people.filter((p) => platformAdmins.includes(p.user.userName));
  add('break-glass-admins', 'Emergency administrators (every use is reviewed)', random.sample(platformPeople, 2), ORG_GROUPS_FILE);
  if (groups.length !== ORG_GROUP_COUNT) throw new Error('ORG_GROUP_COUNT is out of date');

  const byUnit = new Map<string, Person[]>(businessUnits.map((bu) => [bu, []]));
  const byTeam = new Map<string, Person[]>(teams.map((t) => [t.name, []]));
  for (const p of people) {
    byUnit.get(p.team.businessUnit)?.push(p);
    byTeam.get(p.team.name)?.push(p);
  }
  for (const bu of businessUnits) {
    const members = byUnit.get(bu) ?? [];
    add(`${bu}-engineers`, `Engineers of the ${bu} business unit`, members.filter((p) => p.engineer), ORG_GROUPS_FILE);
    add(`${bu}-leads`, `Engineering leads of ${bu}`, random.sample(members, atLeast(1, 0.05, members.length)), ORG_GROUPS_FILE);
  }

  const teamAdmins = new Map<string, string[]>();
  for (const team of teams) {
    const file = teamGroupsFile(team.businessUnit);
    const members = byTeam.get(team.name) ?? [];
    const devs = members.some((p) => p.engineer) ? members.filter((p) => p.engineer) : members;
    add(`${team.name}-devs`, `Developers of team ${team.name}`, devs, file);
    teamAdmins.set(team.name, add(`${team.name}-admins`, `Administrators of team ${team.name}`, random.sample(devs, atLeast(1, 0.1, devs.length)), file));
    // Read-only groups pick up people from neighbouring teams, as they do in real life.
    const unit = byUnit.get(team.businessUnit) ?? [];
    const guests = random.sample(unit, random.int(Math.min(10, unit.length) + 1));
    add(`${team.name}-readonly`, `Read-only access to team ${team.name}'s accounts`, [...new Set([...members, ...guests])], file);
  }

  // Project groups fill the budget: a long tail of small groups with Zipf-ish sizes.
  const projectGroups: string[] = [];
  const projectCount = profile.groups - groups.length;
  const biggest = Math.min(500, Math.round(n * 0.05));
  for (let rank = 0; projectGroups.length < projectCount; rank++) {
    const word = PROJECT_WORDS[rank % PROJECT_WORDS.length] as string;
    const round = Math.floor(rank / PROJECT_WORDS.length);
    const name = round === 0 ? `proj-${word}` : `proj-${word}-${wordsFor(round - 1)}`;
    if (!principalNames.claim(name)) continue;
    const size = Math.max(2, Math.round(biggest / Math.pow(projectGroups.length + 1, 0.8)));
    groups.push({
      name,
      description: `Project group ${word}`,
      members: userNames(random.sample(people, size)),
      file: PROJECT_GROUPS_FILE,
    });
    projectGroups.push(name);
  }
  return { groups, platformAdmins, projectGroups, teamAdmins };
}
