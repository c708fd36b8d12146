import type { GenUser } from './model.js';
import { zipfSampler, type Random } from './random.js';
import type { SizeProfile } from './sizes.js';
import { DOMAIN } from './sizes.js';
import type { NameRegistry } from './unique-names.js';
import { BUSINESS_UNITS, ENGINEER_TITLES, FIRST_NAMES, LAST_NAMES, OTHER_TITLES, TEAM_WORDS } from './word-lists.js';

export interface Team {
  readonly name: string;
  readonly businessUnit: string;
  /** 0 is the biggest team: people and accounts are drawn Zipf-wise by this rank. */
  readonly rank: number;
}

export interface Person {
  readonly user: GenUser;
  readonly team: Team;
  readonly engineer: boolean;
}

/** Org-wide groups, fixed: the rest of the group budget goes to business units, teams, projects. */
export const ORG_GROUP_COUNT = 9;
const GROUPS_PER_TEAM = 3;

export function teamCount(profile: SizeProfile): number {
  const teamBudget = profile.groups - ORG_GROUP_COUNT - 2 * profile.businessUnits;
  return Math.max(1, Math.floor((teamBudget * 0.8) / GROUPS_PER_TEAM));
}

export function planTeams(profile: SizeProfile, random: Random): { businessUnits: string[]; teams: Team[] } {
  const businessUnits = BUSINESS_UNITS.slice(0, profile.businessUnits);
  const count = teamCount(profile);
  const wordsPerUnit = new Map<string, string[]>(businessUnits.map((bu) => [bu, random.shuffle(TEAM_WORDS)]));
  const teams: Team[] = [];
  // Round-robin over units keeps every unit populated; the size rank is shuffled so big and
  // small teams land in every unit.
  const ranks = random.shuffle(Array.from({ length: count }, (_, i) => i));
  for (let i = 0; i < count; i++) {
    const businessUnit = businessUnits[i % businessUnits.length] as string;
    const words = wordsPerUnit.get(businessUnit) as string[];
    const round = Math.floor(i / businessUnits.length);
    const word = words[round % words.length] as string;
    const extra = round >= words.length ? `-${words[(round * 7 + 3) % words.length]}` : '';
    teams.push({ name: `${businessUnit}-${word}${extra}`, businessUnit, rank: ranks[i] as number });
  }
  return { businessUnits, teams };
}

const slug = (name: string): string => name.toLowerCase().replace(/[^a-z]/g, '');

export function generatePeople(
  profile: SizeProfile,
  teams: readonly Team[],
  random: Random,
  principalNames: NameRegistry,
): Person[] {
  const byRank = [...teams].sort((a, b) => a.rank - b.rank);
  const teamOf = zipfSampler(byRank.length, 0.8, random);
  // Name popularity is skewed too, which produces the john.smith2, john.smith3 of real companies.
  const firstOf = zipfSampler(FIRST_NAMES.length, 0.5, random);
  const lastOf = zipfSampler(LAST_NAMES.length, 0.5, random);
  const nextSuffix = new Map<string, number>();
  const people: Person[] = [];
  for (let i = 0; i < profile.users; i++) {
    const given = FIRST_NAMES[firstOf()] as string;
    const family = LAST_NAMES[lastOf()] as string;
    const base = `${slug(given)}.${slug(family)}`;
    let n = nextSuffix.get(base) ?? 1;
    let local = n === 1 ? base : `${base}${n}`;
    while (!principalNames.claim(local)) local = `${base}${++n}`;
    nextSuffix.set(base, n + 1);
    // Every team gets at least one person before sizes follow the Zipf curve.
    const team = (i < byRank.length ? byRank[i] : byRank[teamOf()]) as Team;
    const engineer = random.chance(0.65);
    people.push({
      user: {
        userName: `${local}@${DOMAIN}`,
        displayName: `${given} ${family}`,
        given,
        family,
        title: random.pick(engineer ? ENGINEER_TITLES : OTHER_TITLES),
      },
      team,
      engineer,
    });
  }
  return people;
}
