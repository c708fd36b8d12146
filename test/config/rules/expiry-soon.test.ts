import { describe, expect, it } from 'vitest';
import { messages, parseFiles, USERS_YAML } from '../helpers.js';

// NOW is 2026-11-29T12:00:00Z.
const files = (expires: string, gatehouse = 'version: 1\n') => ({
  'gatehouse.yaml': gatehouse,
  'users.yaml': USERS_YAML,
  'ps.yaml': 'permissionSets: [{ name: P }]\n',
  'a.yaml': `assignments:\n  - users: [alice]\n    permissionSets: [P]\n    accounts: [x]\n    expires: ${expires}\n`,
});

describe('expiring-soon rule', () => {
  it('warns, at the expires field, about access that ends within 14 days by default', () => {
    expect(messages(parseFiles(files('2026-12-06T12:00:00Z')), 'expiring-soon')).toEqual([
      expect.stringMatching(/^a\.yaml:5:14: warning \[expiring-soon\] this assignment expires at 2026-12-06T12:00:00Z, in 7 days: renew it/),
    ]);
    expect(messages(parseFiles(files('2026-12-20T12:00:00Z')), 'expiring-soon')).toEqual([]);
  });

  it('safety.expiryWarning sets the span', () => {
    const wide = 'version: 1\nsafety:\n  expiryWarning: 4w\n';
    expect(messages(parseFiles(files('2026-12-20T12:00:00Z', wide)), 'expiring-soon')).toHaveLength(1);
    const bad = 'version: 1\nsafety:\n  expiryWarning: two weeks\n';
    expect(messages(parseFiles(files('2026-12-20T12:00:00Z', bad)))).toEqual([expect.stringContaining('gatehouse.yaml:3:18: error')]);
  });
});
