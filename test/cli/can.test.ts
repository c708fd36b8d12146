import { describe, expect, it } from 'vitest';
import { gatehouse } from '../helpers/cli.js';

// can / who-can on examples/acme, answered from policy content: an action allowed through a
// group, one denied by a Deny statement, one outside a permissions boundary, one allowed only
// under a condition ("possibly").

const acme = ['--config', 'examples/acme'];

describe('gatehouse can', () => {
  it('yes through a group, with the assignment file:line and the allowing statement', () => {
    const r = gatehouse(['can', 'dave@acme.example', 'ec2:DescribeInstances', '--account', 'prod-core', ...acme]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Yes: dave@acme\.example can ec2:DescribeInstances in prod-core/);
    expect(r.stdout).toMatch(/ReadOnly {2}via member of group developers at examples\/acme\/assignments\.yaml:\d+:\d+/);
    expect(r.stdout).toContain('allowed by managed policy ReadOnlyAccess statement');
  });

  it('no when a Deny statement overrides the allow, naming both', () => {
    const r = gatehouse(['can', 'sybil@contractor.example', 's3:GetObject', '--account', 'prod-core', ...acme]);
    expect(r.stdout).toMatch(/^No: sybil@contractor\.example cannot s3:GetObject/);
    expect(r.stdout).toContain('denied by inline policy statement NoDataReads (#1)');
    expect(r.stdout).toContain('allowed by managed policy ReadOnlyAccess');
  });

  it('no outside the permissions boundary, though the identity policy allows it', () => {
    const r = gatehouse(['can', 'carol@acme.example', 'airflow:GetEnvironment', '--account', 'prod-core', ...acme]);
    expect(r.stdout).toMatch(/^No: carol@acme\.example cannot airflow:GetEnvironment/);
    expect(r.stdout).toContain('outside the permissions boundary ReadOnlyAccess');
    expect(r.stdout).toContain('allowed by managed policy SecurityAudit');
  });

  it('possibly when only a conditional statement allows it, and in json', () => {
    const r = gatehouse(['can', 'erin@acme.example', 'redshift-data:ExecuteStatement', '--account', 'prod-data', ...acme]);
    expect(r.stdout).toMatch(/^Possibly: erin@acme\.example may be able to redshift-data:ExecuteStatement/);
    expect(r.stdout).toContain('only under a condition on aws:MultiFactorAuthPresent');
    const j = JSON.parse(gatehouse(['can', 'erin@acme.example', 'redshift-data:ExecuteStatement', '--account', 'prod-data', '--format', 'json', ...acme]).stdout);
    expect(j.answer).toBe('possibly');
    expect(j.paths.map((p: { permissionSetName: string; decision: { answer: string } }) => [p.permissionSetName, p.decision.answer])).toEqual([
      ['DataEngineer', 'possibly'],
      ['ReadOnly', 'no'],
    ]);
  });

  it('an unknown user or action is an error with did-you-mean', () => {
    const u = gatehouse(['can', 'dave@acme.exampel', 's3:GetObject', ...acme]);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('did you mean `dave@acme.example`?');
    const a = gatehouse(['can', 'dave@acme.example', 's3:GetObjekt', ...acme]);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('did you mean `s3:GetObject`?');
  });
});

describe('gatehouse who-can', () => {
  it('lists the users who can, through which paths, and leaves out those a Deny stops', () => {
    const r = gatehouse(['who-can', 's3:GetObject', '--account', 'prod-core', '--format', 'json', ...acme]);
    expect(r.code, r.stderr).toBe(0);
    const users = JSON.parse(r.stdout).users.map((u: { userName: string; answer: string }) => `${u.userName}:${u.answer}`);
    expect(users).toContain('alice@acme.example:yes');
    expect(users).toContain('dave@acme.example:yes');
    expect(users.some((u: string) => u.startsWith('sybil@'))).toBe(false);
  });

  it('selects accounts by tag and OU, and says possibly for a conditional grant', () => {
    const r = gatehouse(['who-can', 'redshift-data:ExecuteStatement', '--account-tag', 'team=data', ...acme]);
    expect(r.stdout).toMatch(/^erin@acme\.example: possibly/m);
    expect(r.stdout).toMatch(/^alice@acme\.example: yes/m);
    const ou = gatehouse(['who-can', 'redshift-data:ExecuteStatement', '--ou', '/Root/Workloads/NonProd', ...acme]);
    expect(ou.stdout).toMatch(/^erin@acme\.example: possibly/m);
    expect(ou.stdout).not.toMatch(/prod-data/);
  });

  it('counts customer managed content as possibly anything, unless --unknown-content ignore', () => {
    // PowerUser: PowerUserAccess (no IAM) plus two customer managed policies and a customer managed boundary.
    const holders = (extra: string[]) =>
      JSON.parse(gatehouse(['who-can', 'iam:CreateUser', '--format', 'json', ...extra, ...acme]).stdout).users.map((u: { userName: string; answer: string }) => `${u.userName}:${u.answer}`);
    expect(holders([])).toContain('dave@acme.example:possibly');
    const analysed = holders(['--unknown-content', 'ignore']);
    expect(analysed).toContain('alice@acme.example:yes');
    expect(analysed.some((u: string) => u.startsWith('dave@'))).toBe(false);
    const dave = gatehouse(['can', 'dave@acme.example', 'iam:CreateUser', '--account', 'sandbox', '--unknown-content', 'ignore', ...acme]);
    expect(dave.stdout).toMatch(/^No: dave@acme\.example cannot iam:CreateUser in sandbox/);
    expect(dave.stdout).toContain('not analysed: customer managed policy acme-deny-billing');
  });
});
