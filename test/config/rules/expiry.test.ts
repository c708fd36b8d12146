import { describe, expect, it } from 'vitest';
import { messages, parseFiles, USERS_YAML } from '../helpers.js';

const rule = (expires: string) => ({
  'users.yaml': USERS_YAML,
  'ps.yaml': 'permissionSets: [{ name: P }]\n',
  'a.yaml': `assignments:\n  - users: [alice]\n    permissionSets: [P]\n    accounts: [x]\n    expires: ${expires}\n`,
});

describe('expiry rule', () => {
  it('warns about an assignment that expired, relative to now', () => {
    const result = parseFiles(rule('2026-11-01T00:00:00Z'));
    expect(messages(result)).toEqual([
      'a.yaml:5:14: warning [expired-assignment] this assignment expired at 2026-11-01T00:00:00Z and grants nothing; remove it',
    ]);
    // A warning does not block: the desired state is still produced.
    expect(result.desired?.assignments[0]?.expires).toBe('2026-11-01T00:00:00Z');
    expect(messages(parseFiles(rule('2026-11-01T00:00:00Z'), { now: new Date('2026-10-01T00:00:00Z') }))).toEqual([]);
  });

  it('requires an ISO 8601 instant with a time zone', () => {
    for (const bad of ['2027-01-31', 'tomorrow', '2027-01-31T00:00:00']) {
      expect(messages(parseFiles(rule(bad)), 'expires'), bad).toEqual([expect.stringContaining('is not an ISO 8601 instant')]);
    }
    expect(messages(parseFiles(rule('2027-01-31T09:30:00+01:00')))).toEqual([]);
  });

  it('rejects impossible instants instead of rolling them over (issue 13)', () => {
    for (const bad of ['2027-02-30T00:00:00Z', '2027-01-31T24:00:00Z', '2027-13-01T00:00:00Z', '2027-01-31T23:60:00Z', '2027-01-31T23:59:60Z', '2027-01-31T00:00:00+24:00', '2026-02-29T00:00:00Z']) {
      expect(messages(parseFiles(rule(`"${bad}"`)), 'expires'), bad).toEqual([expect.stringContaining('is not a real instant')]);
    }
    expect(messages(parseFiles(rule('"2028-02-29T23:59:59Z"')))).toEqual([]);
  });
});
