import { describe, expect, it } from 'vitest';
import { checkPolicyDocument } from '../../../src/config/rules/iam-policy.js';
import { messages, parseFiles } from '../helpers.js';

const allow = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };

describe('IAM policy document rule', () => {
  it('accepts a valid document, with a statement object or list', () => {
    expect(checkPolicyDocument({ Version: '2012-10-17', Statement: allow })).toEqual([]);
    expect(checkPolicyDocument({ Version: '2008-10-17', Id: 'x', Statement: [{ ...allow, Sid: 'A', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }] })).toEqual([]);
  });

  it('finds each grammar error', () => {
    const problems = (doc: unknown) => checkPolicyDocument(doc).map((p) => `${p.path.join('.')}: ${p.message}`);
    expect(problems({ Version: '2012-10-18', Statement: allow, Extra: 1 })).toEqual([
      'Extra: unknown top-level key `Extra`; a policy has only Version, Id and Statement',
      'Version: `Version` must be "2012-10-17" (or the legacy "2008-10-17"), not "2012-10-18"',
    ]);
    expect(problems({ Statement: allow })).toEqual([': missing `Version`; write "Version": "2012-10-17"']);
    expect(problems({ Version: '2012-10-17', Statement: 'x' })).toEqual(['Statement: `Statement` must be an object or a list of objects']);
    expect(problems({ Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: 'a', NotAction: 'b', Sid: 3, Condition: { StringEquals: 'x' } }] })).toEqual([
      'Statement.0.Sid: `Sid` must be a string',
      'Statement.0.Effect: `Effect` must be "Allow" or "Deny", not "Permit"',
      'Statement.0: a statement must have either `Action` or `NotAction`, not both',
      'Statement.0: a statement must have `Resource` (or `NotResource`)',
      'Statement.0.Condition.StringEquals: condition operator `StringEquals` must map to an object of condition keys',
    ]);
    expect(problems({ Version: '2012-10-17', Statement: [{ ...allow, Condition: [] }] })).toEqual([
      'Statement.0.Condition: `Condition` must be an object of operator → { key: value }',
    ]);
    expect(problems([])).toHaveLength(1);
  });

  it('points at the offending node of an inline YAML policy', () => {
    const result = parseFiles({
      'ps.yaml': 'permissionSets:\n  - name: P\n    inlinePolicy:\n      Version: "2012-10-17"\n      Statement:\n        - Effect: Alow\n          Action: "*"\n          Resource: "*"\n',
    });
    expect(messages(result, 'iam-policy')).toEqual([
      'ps.yaml:6:19: error [iam-policy] inline policy of `P`: `Effect` must be "Allow" or "Deny", not "Alow"',
    ]);
  });

  it('names the policy file and the path inside it', () => {
    const result = parseFiles(
      { 'conf/ps.yaml': 'permissionSets:\n  - name: P\n    inlinePolicy: ../policies/p.json\n' },
      { policies: { 'policies/p.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }) } },
    );
    expect(messages(result, 'iam-policy')).toEqual([
      'conf/ps.yaml:3:19: error [iam-policy] inline policy of `P` in policies/p.json at Statement.0: a statement must have `Action` (or `NotAction`)',
    ]);
  });

  it('reports a missing or malformed policy file', () => {
    const result = parseFiles({ 'ps.yaml': 'permissionSets:\n  - name: P\n    inlinePolicy: p.json\n  - name: Q\n    inlinePolicy: q.json\n' }, { policies: { 'q.json': '{ nope' } });
    expect(messages(result, 'inline-policy-file')).toEqual(['ps.yaml:3:19: error [inline-policy-file] cannot read the inline policy file p.json: no such file']);
    // Located in the JSON file itself, at line:col (issue 13), quoting nothing of it.
    expect(messages(result, 'inline-policy-json')).toEqual(['q.json:1:3: error [inline-policy-json] the inline policy file is not valid JSON: expected a quoted key but found `n`']);
  });

  it('holds policy JSON to the YAML standard: duplicate keys, deep nesting, lone surrogates, located', () => {
    const ps = 'permissionSets:\n  - name: P\n    inlinePolicy: p.json\n';
    const json = (text: string) => messages(parseFiles({ 'ps.yaml': ps }, { policies: { 'p.json': text } }), 'inline-policy-json');
    expect(json('{\n  "Version": "2012-10-17",\n  "Version": "2008-10-17",\n  "Statement": []\n}')).toEqual([
      'p.json:3:3: error [inline-policy-json] the inline policy file is not valid JSON: the key `Version` is written twice in the same object; JSON tools disagree on which one wins, so remove or merge one',
    ]);
    expect(json(`${'['.repeat(20_000)}${']'.repeat(20_000)}`)).toEqual([expect.stringMatching(/^p\.json:1:65: error \[inline-policy-json\] .*nested deeper than 64 levels/)]);
    expect(json('{"Version": "\\ud800"}')).toEqual([expect.stringMatching(/^p\.json:1:13: error .*lone UTF-16 surrogate/)]);
    expect(json('{"__proto__": {}}')).toEqual([expect.stringMatching(/^p\.json:1:2: error .*`__proto__` is not allowed/)]);
    expect(json('{"Version": "2012-10-17"}')).toEqual([]);
  });
});
