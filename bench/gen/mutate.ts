import type { GenConfig, GenGroup, GenRule, GenUser } from './model.js';
import type { Random } from './random.js';
import { NameRegistry } from './unique-names.js';

/** No i, l, o: a random tag never reads like another one. */
const SAFE_LETTERS = [...'abcdefghjkmnpqrstuvwxyz'];

// A day's worth of edits to a generated config, for the "plan after a small change" benchmark:
// about `fraction` of the users, group memberships, permission sets and assignment rules change,
// the way a busy week of pull requests would change them.

export interface MutationSummary {
  readonly usersAdded: number;
  readonly usersRemoved: number;
  readonly usersRetitled: number;
  readonly groupsEdited: number;
  readonly permissionSetsEdited: number;
  readonly rulesRemoved: number;
}

export function mutateConfig(config: GenConfig, random: Random, fraction = 0.01): { config: GenConfig; summary: MutationSummary } {
  const count = (total: number): number => Math.max(1, Math.round(total * fraction));
  const referenced = new Set(config.rules.flatMap((r) => r.users));
  // Leavers: only people no rule names directly, so the edit stays a valid config.
  const leavers = new Set(random.sample(config.users.filter((u) => !referenced.has(u.userName)), count(config.users.length / 3)).map((u) => u.userName));
  const retitled = new Set(random.sample(config.users, count(config.users.length / 3)).map((u) => u.userName));
  const users: GenUser[] = config.users
    .filter((u) => !leavers.has(u.userName))
    .map((u) => (retitled.has(u.userName) ? { ...u, title: `${u.title} (acting lead)` } : u));
  const joiners: GenUser[] = [];
  const names = new NameRegistry();
  for (const u of config.users) names.claim(u.userName);
  while (joiners.length < count(config.users.length / 3)) {
    const model = random.pick(config.users);
    const at = model.userName.indexOf('@');
    const tag = Array.from({ length: 3 }, () => random.pick(SAFE_LETTERS)).join('');
    const userName = `joiner.${model.userName.slice(0, at).replace(/\d+$/, '')}.${tag}${model.userName.slice(at)}`;
    if (names.claim(userName)) joiners.push({ ...model, userName });
  }
  users.push(...joiners);

  const edited = new Set(random.sample(config.groups.map((g) => g.name), count(config.groups.length)));
  const groups: GenGroup[] = config.groups.map((g) => {
    const members = g.members.filter((m) => !leavers.has(m));
    if (!edited.has(g.name)) return members.length === g.members.length ? g : { ...g, members };
    const added = random.sample(joiners, random.between(1, 3)).map((u) => u.userName);
    const kept = members.filter(() => !random.chance(0.05));
    return { ...g, members: [...new Set([...kept, ...added])].sort() };
  });

  const psEdited = new Set(random.sample(config.permissionSets.map((p) => p.name), count(config.permissionSets.length)));
  const permissionSets = config.permissionSets.map((p) =>
    psEdited.has(p.name) ? { ...p, description: `${p.description} (reviewed)`, sessionDuration: p.sessionDuration === 'PT1H' ? 'PT2H' : 'PT1H' } : p,
  );

  // Revoked grants come from the cross-team tail, where access is granted and taken back.
  const crossTeam = config.rules.filter((r) => r.file.endsWith('cross-team.yaml'));
  const revoked = new Set<GenRule>(random.sample(crossTeam, count(config.rules.length)));
  const rules = config.rules.filter((r) => !revoked.has(r));

  return {
    config: { ...config, users, groups, permissionSets, rules },
    summary: {
      usersAdded: joiners.length,
      usersRemoved: leavers.size,
      usersRetitled: retitled.size,
      groupsEdited: edited.size,
      permissionSetsEdited: psEdited.size,
      rulesRemoved: revoked.size,
    },
  };
}
