import { describe, expect, it } from 'vitest';
import { durationSeconds } from '../../../src/config/rules/aws-limits.js';
import { messages, parseFiles } from '../helpers.js';

const ps = (body: string) => parseFiles({ 'ps.yaml': `permissionSets:\n  - name: P\n${body}` });

describe('AWS limits rule', () => {
  it('limits permission set names to 32 characters of [\\w+=,.@-]', () => {
    const result = parseFiles({ 'ps.yaml': `permissionSets:\n  - name: ${'A'.repeat(33)}\n  - name: ${'B'.repeat(32)}\n  - name: has space\n` });
    expect(messages(result, 'aws-limit')).toEqual([
      `ps.yaml:2:11: error [aws-limit] permission set name \`${'A'.repeat(33)}\` is 33 characters; the maximum is 32`,
      'ps.yaml:4:11: error [aws-limit] permission set name `has space` may contain only letters, digits and + = , . @ _ -',
    ]);
  });

  it('accepts session durations from PT1H to PT12H only', () => {
    expect(messages(ps('    sessionDuration: PT12H\n'), 'aws-limit')).toEqual([]);
    expect(messages(ps('    sessionDuration: PT90M\n'), 'aws-limit')).toEqual([]);
    expect(messages(ps('    sessionDuration: PT13H\n'), 'aws-limit')).toEqual([
      'ps.yaml:3:22: error [aws-limit] sessionDuration `PT13H` is outside the allowed range PT1H to PT12H',
    ]);
    expect(messages(ps('    sessionDuration: PT30M\n'), 'aws-limit')).toHaveLength(1);
    expect(messages(ps('    sessionDuration: 1 hour\n'), 'aws-limit')[0]).toContain('is not an ISO 8601 duration');
    expect(durationSeconds('P1DT1H')).toBe(90000);
    expect(durationSeconds('PT')).toBeUndefined();
  });

  it('checks description length and character set', () => {
    expect(messages(ps(`    description: ${'x'.repeat(701)}\n`), 'aws-limit')).toEqual([
      'ps.yaml:3:18: error [aws-limit] description is 701 characters; the maximum is 700',
    ]);
    expect(messages(ps('    description: Café crème\n'), 'aws-limit')).toEqual([]);
    expect(messages(ps('    description: "Rocket 🚀"\n'), 'aws-limit')[0]).toContain('U+1F680');
  });

  it('checks relay state length and pattern', () => {
    expect(messages(ps(`    relayState: https://console.aws.amazon.com/${'a'.repeat(210)}\n`), 'aws-limit')[0]).toContain('the maximum is 240');
    expect(messages(ps('    relayState: https://console.aws.amazon.com/é\n'), 'aws-limit')[0]).toContain('URL-encode');
  });

  it('limits the inline policy to 10,240 characters without whitespace', () => {
    const statement = (n: number) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'b'.repeat(n)}` });
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [statement(10_200)] }, null, 8);
    const ok = JSON.stringify({ Version: '2012-10-17', Statement: [statement(10_000)] }, null, 8);
    const policies = { 'big.json': big, 'ok.json': ok };
    const result = parseFiles({ 'ps.yaml': 'permissionSets:\n  - name: Big\n    inlinePolicy: big.json\n  - name: Ok\n    inlinePolicy: ok.json\n' }, { policies });
    expect(messages(result, 'aws-limit')).toEqual([
      expect.stringMatching(/^ps\.yaml:3:19: error \[aws-limit\] inline policy is 10\d{3} characters without whitespace; the maximum is 10240/),
    ]);
  });

  it("defaults the policy limit to AWS's default quota of 10, and lets the setting raise it (issue 9)", () => {
    const eleven = { 'ps.yaml': `permissionSets:\n  - name: P\n    managedPolicies: [${Array.from({ length: 11 }, (_, i) => `P${i}`).join(', ')}]\n` };
    expect(messages(parseFiles(eleven), 'aws-limit')).toEqual([
      "ps.yaml:2:5: error [aws-limit] permission set `P` attaches 11 managed and customer managed policies; the limit (settings limits.maxPoliciesPerPermissionSet) is 10, AWS's default quota; if your quota was raised, raise the setting to match",
    ]);
    expect(messages(parseFiles({ ...eleven, 'gatehouse.yaml': 'version: 1\nlimits: { maxPoliciesPerPermissionSet: 20 }\n' }), 'aws-limit')).toEqual([]);
  });

  it('checks group descriptions and user attributes against the Identity Store limits (issue 8)', () => {
    const g = (description: string) => messages(parseFiles({ 'g.yaml': `groups:\n  - name: ops\n    description: ${description}\n` }), 'aws-limit');
    expect(g('x'.repeat(1025))).toEqual(['g.yaml:3:18: error [aws-limit] description is 1025 characters; the maximum is 1024']);
    expect(g('x'.repeat(1024))).toEqual([]);
    const u = messages(parseFiles({ 'u.yaml': `users:\n  - { userName: a, displayName: "${'d'.repeat(1025)}", name: { given: "${'g'.repeat(1025)}", family: F } }\n` }), 'aws-limit');
    expect(u).toEqual([
      'u.yaml:2:33: error [aws-limit] displayName is 1025 characters; the maximum is 1024',
      expect.stringMatching(/^u\.yaml:2:\d+: error \[aws-limit\] name\.given is 1025 characters; the maximum is 1024$/),
    ]);
  });

  it('limits managed + customer managed policies to settings.limits.maxPoliciesPerPermissionSet', () => {
    const body = '    managedPolicies: [A, B]\n    customerManagedPolicies: [{ name: c }]\n';
    const files = { 'ps.yaml': `permissionSets:\n  - name: P\n${body}` };
    expect(messages(parseFiles(files), 'aws-limit')).toEqual([]);
    const limited = parseFiles({ ...files, 'gatehouse.yaml': 'version: 1\nlimits: { maxPoliciesPerPermissionSet: 2 }\n' });
    expect(messages(limited, 'aws-limit')).toEqual([
      'ps.yaml:2:5: error [aws-limit] permission set `P` attaches 3 managed and customer managed policies; the limit (settings limits.maxPoliciesPerPermissionSet) is 2',
    ]);
  });

  it('checks managed policy names, customer policy names and paths', () => {
    const result = ps('    managedPolicies: ["arn:aws:iam::123456789012:policy/Mine", "bad name"]\n    customerManagedPolicies: [{ name: ok, path: acme }]\n');
    expect(messages(result, 'aws-limit')).toEqual([
      'ps.yaml:3:23: error [aws-limit] `arn:aws:iam::123456789012:policy/Mine` is not an AWS managed policy name or ARN (arn:aws:iam::aws:policy/NAME)',
      'ps.yaml:3:64: error [aws-limit] `bad name` is not an AWS managed policy name or ARN (arn:aws:iam::aws:policy/NAME)',
      'ps.yaml:4:49: error [aws-limit] policy path `acme` must start and end with / (e.g. / or /acme/teams/)',
    ]);
  });

  it('limits tags to 50, with key and value patterns', () => {
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(messages(ps(`    tags: ${JSON.stringify(tags)}\n`), 'aws-limit')).toEqual([
      'ps.yaml:3:11: error [aws-limit] 51 tags; a permission set can have at most 50',
    ]);
    expect(messages(ps(`    tags: { "${'k'.repeat(129)}": v, "a*b": v, ok: "x${'v'.repeat(256)}" }\n`), 'aws-limit')).toHaveLength(3);
  });

  it('limits user names to 128 characters and reserves Administrator / AWSAdministrators', () => {
    const result = parseFiles({
      'u.yaml': `users:\n  - { userName: ${'u'.repeat(129)}, displayName: U, name: { given: U, family: U } }\n  - { userName: Administrator, displayName: A, name: { given: A, family: A } }\ngroups:\n  - name: AWSAdministrators\n`,
    });
    expect(messages(result).filter((m) => /aws-limit|reserved-name/.test(m))).toEqual([
      'u.yaml:2:17: error [aws-limit] userName is 129 characters; the maximum is 128',
      'u.yaml:3:17: error [reserved-name] `Administrator` is reserved by IAM Identity Center; choose another userName',
      'u.yaml:5:11: error [reserved-name] `AWSAdministrators` is reserved by IAM Identity Center; choose another group name',
    ]);
  });
});
