import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsoDuration, isoDurationSeconds, sameDuration } from '../../src/model/iso-duration.js';

// The one ISO 8601 duration parser (the sso-admin `Duration` shape's pattern).

describe('isoDurationSeconds', () => {
  it('reads every unit AWS\'s Duration pattern allows', () => {
    expect(isoDurationSeconds('PT1H')).toBe(3600);
    expect(isoDurationSeconds('PT60M')).toBe(3600);
    expect(isoDurationSeconds('PT3600S')).toBe(3600);
    expect(isoDurationSeconds('PT1H30M')).toBe(5400);
    expect(isoDurationSeconds('PT0.5S')).toBe(0.5);
    expect(isoDurationSeconds('P1D')).toBe(86400);
    expect(isoDurationSeconds('P1W')).toBe(7 * 86400);
    expect(isoDurationSeconds('P1DT2H')).toBe(93600);
  });

  it('rejects what the pattern rejects', () => {
    for (const bad of ['', 'P', 'PT', 'P1H', 'PT1D', '1H', 'pt1h', 'PT1H ', 'PT-1H', 'P1DT']) expect(isoDurationSeconds(bad), bad).toBeUndefined();
  });

  it('round-trips any whole number of seconds through its shortest form (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 * 86400 }), (s) => isoDurationSeconds(formatIsoDuration(s)) === s));
  });

  it('gives the same value for hours, minutes and seconds written any way (property)', () => {
    fc.assert(
      fc.property(fc.nat(12), fc.nat(720), fc.nat(3600), (h, m, s) => {
        const seconds = h * 3600 + m * 60 + s;
        const text = `PT${h}H${m}M${s}S`;
        return isoDurationSeconds(text) === seconds && sameDuration(text, formatIsoDuration(seconds));
      }),
    );
  });
});

describe('sameDuration', () => {
  it('compares by value, and malformed values as text', () => {
    expect(sameDuration('PT60M', 'PT1H')).toBe(true);
    expect(sameDuration('PT2H', 'PT1H')).toBe(false);
    expect(sameDuration('bogus', 'bogus')).toBe(true);
    expect(sameDuration('bogus', 'PT1H')).toBe(false);
  });
});
