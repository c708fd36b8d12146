import { describe, expect, it } from 'vitest';
import { parseSince } from '../../src/audit/parse-since.js';

const now = new Date('2025-03-10T12:00:00Z');

describe('parseSince', () => {
  it('reads look-backs relative to now', () => {
    expect(parseSince('7d', now).toISOString()).toBe('2025-03-03T12:00:00.000Z');
    expect(parseSince('12h', now).toISOString()).toBe('2025-03-10T00:00:00.000Z');
    expect(parseSince('30m', now).toISOString()).toBe('2025-03-10T11:30:00.000Z');
    expect(parseSince('2w', now).toISOString()).toBe('2025-02-24T12:00:00.000Z');
  });

  it('reads ISO dates and instants', () => {
    expect(parseSince('2025-01-31', now).toISOString()).toBe('2025-01-31T00:00:00.000Z');
    expect(parseSince('2025-01-31T08:15:00Z', now).toISOString()).toBe('2025-01-31T08:15:00.000Z');
  });

  it('rejects anything else with a hint', () => {
    expect(() => parseSince('last week', now)).toThrow(/invalid --since "last week".*7d/);
    expect(() => parseSince('2025-13-45', now)).toThrow(/invalid --since/);
  });
});
