import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../diagnostics/errors.js';
import { action, EXIT_OK } from '../exit.js';
import { schemaBaseFrom } from '../schemas-dir.js';

// `gatehouse init [DIR]`: a small working config to start from. It validates, and plans on the
// embedded store (its organisation file stands in for AWS Organizations). Every file starts with
// a yaml-language-server `$schema=` header, so editors complete and check it.

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('write a starter config (gatehouse.yaml and one file per section) that validates and plans on the embedded store')
    .argument('[dir]', 'directory to create or fill (must hold no gatehouse.yaml)', '.')
    .action(action(async (dir: string) => runInit(dir)));
}

function runInit(dir: string): number {
  if (existsSync(path.join(dir, 'gatehouse.yaml')) || existsSync(path.join(dir, 'gatehouse.yml'))) {
    throw new UserError(`${path.join(dir, 'gatehouse.yaml')} already exists; init writes a new config only`);
  }
  mkdirSync(dir, { recursive: true });
  const files = starterFiles(schemaBaseFrom(dir));
  const clash = Object.keys(files).filter((f) => readdirSync(dir).includes(f));
  if (clash.length > 0) throw new UserError(`${clash.map((f) => path.join(dir, f)).join(', ')} already exist; init would overwrite them`);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text, { flag: 'wx' });
  process.stdout.write(
    `Wrote ${Object.keys(files).join(', ')} to ${dir}.\n` +
      `Next: gatehouse validate --config ${dir} && gatehouse plan --config ${dir}\n`,
  );
  return EXIT_OK;
}

const header = (base: string, schema: string) => `# yaml-language-server: $schema=${base}/${schema}\n`;

function starterFiles(base: string): Record<string, string> {
  return {
    'gatehouse.yaml':
      header(base, 'gatehouse.schema.json') +
      `# Settings. The sections (users, groups, permissionSets, assignments) live in the other files.
version: 1
instance:
  region: us-east-1
  identitySource: internal
# The organisation for the embedded store (sqlite:); with --store aws it is read from AWS.
organization: organization.yaml
# Which files are config (globs relative to this directory). Default: every *.yaml below it.
include: ["*.yaml"]
`,
    'organization.yaml':
      header(base, 'organization.schema.json') +
      `# Account ids are quoted: YAML would read 012345678901 as a number.
managementAccountId: "111111111111"
accounts:
  - id: "111111111111"
    name: management
    email: aws-root@example.com
ous:
  - name: Workloads
    accounts:
      - id: "222222222222"
        name: sandbox
        email: aws-sandbox@example.com
        tags: { env: dev }
`,
    'users.yaml':
      header(base, 'config.schema.json') +
      `users:
  - userName: jane@example.com
    displayName: Jane Doe
    name: { given: Jane, family: Doe }
    email: jane@example.com
`,
    'groups.yaml':
      header(base, 'config.schema.json') +
      `groups:
  - name: developers
    description: Product engineers
    members: [jane@example.com]
`,
    'permission-sets.yaml':
      header(base, 'config.schema.json') +
      `permissionSets:
  - name: ReadOnly
    description: Read everything, change nothing
    sessionDuration: PT4H
    managedPolicies: [ReadOnlyAccess]
`,
    'assignments.yaml':
      header(base, 'config.schema.json') +
      `assignments:
  # Who gets which permission set where: accounts by name or id, or OUs (with their descendants).
  - groups: [developers]
    permissionSets: [ReadOnly]
    ous: [/Root/Workloads]
`,
  };
}
