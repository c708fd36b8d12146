import { generateRules } from './assignments.js';
import { countExpanded } from './expand.js';
import { generateGroups } from './groups.js';
import type { GenConfig, SizeName } from './model.js';
import { generateOrganization } from './organization.js';
import { generatePeople, planTeams } from './people.js';
import { generatePermissionSets } from './permission-sets.js';
import { createRandom } from './random.js';
import { REFERENCE_NOW, SIZES } from './sizes.js';
import { NameRegistry } from './unique-names.js';

export interface GeneratedConfig {
  readonly config: GenConfig;
  /** Tuples the rules expand to at REFERENCE_NOW, by the generator's own expansion. */
  readonly expandedAssignments: number;
}

/** The whole organisation for a size and seed; pure and deterministic. */
export function generateConfig(size: SizeName, seed: number): GeneratedConfig {
  const profile = SIZES[size];
  const root = createRandom(seed);
  const now = new Date(REFERENCE_NOW);
  const principalNames = new NameRegistry();
  const { businessUnits, teams } = planTeams(profile, root.fork('teams'));
  const people = generatePeople(profile, teams, root.fork('people'), principalNames);
  const { organization, sandboxOwners } = generateOrganization(profile, businessUnits, teams, people, root.fork('organization'));
  const groups = generateGroups(profile, businessUnits, teams, people, root.fork('groups'), principalNames);
  const catalog = generatePermissionSets(profile, businessUnits, teams, root.fork('permission-sets'));
  const rules = generateRules(
    {
      profile,
      organization,
      businessUnits,
      teams,
      groups,
      catalog,
      sandboxOwners,
      outsiders: people.filter((p) => !p.engineer).map((p) => p.user.userName),
      now,
    },
    root.fork('assignments'),
  );
  const config: GenConfig = {
    size,
    seed,
    organization,
    users: people.map((p) => p.user),
    groups: groups.groups,
    permissionSets: catalog.permissionSets,
    rules,
  };
  return { config, expandedAssignments: countExpanded(rules, organization, now) };
}
