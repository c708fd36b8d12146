import { describe, expect, it } from 'vitest';
import { skeleton } from '../../../src/config/unicode/skeleton.js';
import { messages, parseFiles } from '../helpers.js';

const user = (userName: string) => `  - { userName: "${userName}", displayName: X, name: { given: X, family: Y } }\n`;

describe('confusable skeleton', () => {
  it('maps look-alikes to one skeleton', () => {
    expect(skeleton('аdmin')).toBe(skeleton('admin')); // Cyrillic а
    expect(skeleton('ΑΒΕ')).toBe(skeleton('ABE')); // Greek capitals
    expect(skeleton('ａｄｍｉｎ')).toBe(skeleton('admin')); // fullwidth
    expect(skeleton('paypa1')).toBe(skeleton('paypal'));
    expect(skeleton('0ps')).toBe(skeleton('Ops'));
    expect(skeleton('ad\u200Bmin')).toBe(skeleton('admin'));
    expect(skeleton('rnallory')).toBe(skeleton('mallory'));
    expect(skeleton('alice')).not.toBe(skeleton('alicia'));
  });
});

describe('principal names rule', () => {
  it('reports two principals that look the same, naming both places', () => {
    const result = parseFiles({ 'u.yaml': `users:\n${user('admin')}${user('bob')}`, 'g.yaml': 'groups:\n  - name: "аdmin"\n' });
    expect(messages(result, 'confusable-name')).toEqual([
      'g.yaml:2:11: error [confusable-name] group `<U+0430>dmin` looks like user `admin` at u.yaml:2:17 (confusable characters: <U+0430> vs a); rename one of them',
    ]);
  });

  it('allows a group and a user with the same name, and different names', () => {
    expect(messages(parseFiles({ 'u.yaml': `users:\n${user('ops')}${user('dev')}`, 'g.yaml': 'groups: [{ name: ops }]\n' }))).toEqual([]);
  });

  it('rejects bidi controls, invisible characters and non-NFC names', () => {
    const result = parseFiles({ 'u.yaml': `users:\n${user('eve\\u202E')}${user('zoe\\u00AD')}${user('jose\\u0301')}\ngroups:\n  - name: "ops\\u2066x"\n` });
    expect(messages(result, 'principal-name')).toEqual([
      'u.yaml:2:17: error [principal-name] user name `eve<U+202E>` contains a bidirectional control character, which can make it display differently from what it is; remove it',
      'u.yaml:3:17: error [principal-name] user name `zoe<U+00AD>` contains an invisible character (zero-width space, soft hyphen…); remove it',
      'u.yaml:4:17: error [principal-name] user name `jose<U+0301>` is not in Unicode NFC form, so it can look identical to a different name; retype it or normalise to NFC',
      'u.yaml:7:11: error [principal-name] group name `ops<U+2066>x` contains a bidirectional control character, which can make it display differently from what it is; remove it',
    ]);
  });

  it('stays linear for many principals', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => user(`user${i}@acme.example`)).join('');
    const start = performance.now();
    const result = parseFiles({ 'u.yaml': `users:\n${many}` });
    expect(result.diagnostics).toEqual([]);
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});
