import { describe, expect, it } from 'vitest';
import { expiringGrants } from '../../src/access/expiring-grants.js';

const now = new Date('2026-12-02T00:00:00Z');
const day = 86_400_000;
const at = (line: number) => ({ file: 'assignments.yaml', line, col: 5 });
const tuple = (principalType: 'USER' | 'GROUP', principalName: string, expires: string | undefined, line: number) => ({
  principalType,
  principalName,
  permissionSetName: 'Admin',
  accountId: '111111111111',
  source: at(line),
  ...(expires ? { expires, reason: 'INC-1' } : {}),
});

describe('expiringGrants', () => {
  const memberships = [
    { groupName: 'oncall', userName: 'alice' },
    { groupName: 'oncall', userName: 'bob' },
    { groupName: 'admins', userName: 'bob' },
  ];

  it('lists a user whose every path ends within the span, with the paths', () => {
    const grants = expiringGrants([tuple('GROUP', 'oncall', '2026-12-09T00:00:00Z', 3)], memberships, now, 14 * day);
    expect(grants.map((g) => g.userName)).toEqual(['alice', 'bob']);
    expect(grants[0]).toMatchObject({ expires: '2026-12-09T00:00:00Z', paths: [{ groupName: 'oncall', source: at(3), reason: 'INC-1' }] });
  });

  it('access that another open-ended path still grants does not end', () => {
    const grants = expiringGrants(
      [tuple('GROUP', 'oncall', '2026-12-09T00:00:00Z', 3), tuple('GROUP', 'admins', undefined, 9)],
      memberships,
      now,
      14 * day,
    );
    expect(grants.map((g) => g.userName)).toEqual(['alice']);
  });

  it('ends at the latest of its paths; later than the span, or already past, is not listed', () => {
    const grants = expiringGrants(
      [tuple('USER', 'alice', '2026-12-05T00:00:00Z', 3), tuple('GROUP', 'oncall', '2026-12-10T00:00:00Z', 5), tuple('USER', 'carol', '2027-06-01T00:00:00Z', 7), tuple('USER', 'dan', '2026-12-01T00:00:00Z', 8)],
      memberships,
      now,
      14 * day,
    );
    expect(grants.find((g) => g.userName === 'alice')!.expires).toBe('2026-12-10T00:00:00Z');
    expect(grants.map((g) => g.userName)).not.toContain('carol');
    expect(grants.map((g) => g.userName)).not.toContain('dan');
  });
});
