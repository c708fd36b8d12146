import { describe, expect, it } from 'vitest';
import { foldedSkeleton, skeleton } from '../../../src/config/unicode/skeleton.js';
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
      'u.yaml:2:17: error [principal-name] user name `eve<U+202E>` contains U+202E, a bidirectional control character, which can make it display differently from what it is; remove it',
      'u.yaml:3:17: error [principal-name] user name `zoe<U+00AD>` contains U+00AD, an invisible character; remove it',
      'u.yaml:4:17: error [principal-name] user name `jose<U+0301>` is not in Unicode NFC form, so it can look identical to a different name; retype it or normalise to NFC',
      'u.yaml:7:11: error [principal-name] group name `ops<U+2066>x` contains U+2066, a bidirectional control character, which can make it display differently from what it is; remove it',
    ]);
  });

  it('compares skeletons after case folding, with the whole Unicode confusables table (issue 13)', () => {
    expect(foldedSkeleton('Developers')).toBe(foldedSkeleton('developers'));
    expect(foldedSkeleton('DЕVELOPERS')).toBe(foldedSkeleton('developers')); // Cyrillic Е
    expect(skeleton('ꓲdmin')).toBe(skeleton('ldmin')); // Lisu letter, not in the old hand-picked table
    expect(skeleton('ⅾev')).toBe(skeleton('dev')); // small roman numeral five hundred
    const result = parseFiles({ 'g.yaml': 'groups:\n  - name: platform-admins\n  - name: "ꓑlatform-admins"\n' });
    expect(messages(result, 'confusable-name')).toEqual([expect.stringMatching(/^g\.yaml:3:11: error \[confusable-name\] group `<U\+A4D1>latform-admins` looks like group `platform-admins` at g\.yaml:2:11/)]);
  });

  it('reports look-alike spaces and case-only twins (issue 13)', () => {
    const result = parseFiles({
      'g.yaml': 'groups:\n  - name: platform-admins\n  - name: "platform-admins "\n  - name: "platform\u00A0admins"\n  - name: developers\n  - name: Developers\n',
    });
    expect(messages(result)).toEqual([
      expect.stringMatching(/^g\.yaml:3:11: error \[confusable-name\] group `platform-admins ` looks like group `platform-admins` at g\.yaml:2:11/),
      'g.yaml:3:11: error [principal-name] group name `platform-admins ` starts or ends with a space, so it looks like the name without it; remove the space',
      'g.yaml:4:11: error [principal-name] group name `platform<U+00A0>admins` contains U+00A0, a space that looks like an ordinary one; use a plain space or none',
      'g.yaml:6:11: error [duplicate-name] group `Developers` differs from `developers` at g.yaml:5:11 only in letter case; IAM Identity Center compares group names without regard to case and would reject the second, so rename or merge one',
    ]);
  });

  it('rejects control and format characters in user and group names', () => {
    const result = parseFiles({ 'g.yaml': 'groups:\n  - name: "ops\\e[8m"\n  - name: "a\\0b"\n  - name: "x\\u200By"\n  - name: "n\\nl"\n' });
    expect(messages(result, 'principal-name')).toEqual([
      'g.yaml:2:11: error [principal-name] group name `ops<U+001B>[8m` contains the control or format character U+001B, which could forge what a plan or a terminal shows; remove it',
      'g.yaml:3:11: error [principal-name] group name `a<U+0000>b` contains the control or format character U+0000, which could forge what a plan or a terminal shows; remove it',
      'g.yaml:4:11: error [principal-name] group name `x<U+200B>y` contains U+200B, an invisible character; remove it',
      'g.yaml:5:11: error [principal-name] group name `n<U+000A>l` contains the control or format character U+000A, which could forge what a plan or a terminal shows; remove it',
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
