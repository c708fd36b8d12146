import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConfigEntries, Entry } from '../../src/config/entries.js';
import { normalizeEntries } from '../../src/config/normalize.js';
import { normalizeSettings } from '../../src/config/settings.js';
import type { Group, User } from '../../src/model/generated/config.js';
import { compareStrings, membershipKey } from '../../src/model/keys.js';

const entry = <T>(value: T): Entry<T> => ({ value, file: 'f.yaml', at: () => ({ file: 'f.yaml', line: 1, col: 1 }) });

const entries = (users: string[], groups: Group[]): ConfigEntries => ({
  users: users.map((userName) => entry<User>({ userName, displayName: userName, name: { given: 'g', family: 'f' } })),
  groups: groups.map((g) => entry(g)),
  permissionSets: [],
  assignments: [],
  guardrails: [],
  invalidNames: { users: new Set(), groups: new Set(), permissionSets: new Set() },
});

describe('normalizeEntries', () => {
  it('lists memberships once each, in byte order of their keys, whatever the names', () => {
    // `|` joins group and user in the key: `a` + `|b|x` and `a|b` + `|x` are the tricky cases.
    const name = fc.array(fc.constantFrom('a', 'b', '|', ' ', '-', 'é', 'Z'), { minLength: 1, maxLength: 4 }).map((c) => c.join(''));
    const group = fc.record({ name, members: fc.array(name, { maxLength: 5 }) });
    fc.assert(
      fc.property(fc.uniqueArray(group, { selector: (g) => g.name, maxLength: 6 }), (groups) => {
        const { memberships } = normalizeEntries(entries([], groups), normalizeSettings(undefined));
        const keys = memberships.map((m) => membershipKey(m.groupName, m.userName));
        const expected = [...new Set(groups.flatMap((g) => g.members.map((u) => membershipKey(g.name, u))))].sort(compareStrings);
        expect(keys).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts users byte-wise, not by locale', () => {
    const { users } = normalizeEntries(entries(['b', 'B', 'a', 'é', 'Z'], []), normalizeSettings(undefined));
    expect(users.map((u) => u.userName)).toEqual(['B', 'Z', 'a', 'b', 'é']);
  });
});
