import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { importConfig } from '../../src/import/import-config.js';
import { writeConfigDir } from '../../src/import/write-config-dir.js';
import type { LiveState } from '../../src/model/live.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { converged, NOW, organization } from '../drift/fixture.js';

// The drift fixture's live state, with the parts import must handle: an inline policy, a
// boundary, tags, an OU id in AWS's format, an orphan, a Control Tower permission set.
const live: LiveState = {
  ...converged,
  organization: {
    ...organization,
    ous: organization.ous.map((ou) => (ou.path === '/Root/Workloads/Prod' ? { ...ou, id: 'ou-ab12-cd34ef56' } : ou)),
  },
  permissionSets: [
    ...converged.permissionSets.map((p) =>
      p.name === 'ReadOnly'
        ? {
            ...p,
            inlinePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] }, null, 2),
            permissionsBoundary: { customerManagedPolicy: { name: 'acme-boundary', path: '/acme/' } },
            customerManagedPolicies: [{ name: 'acme-deny-billing', path: '/' }],
            tags: { team: 'platform', cost: 'shared' },
          }
        : p,
    ),
    { name: 'AWSServiceCatalogEndUserAccess', arn: 'arn:x', sessionDuration: 'PT1H', managedPolicies: [], customerManagedPolicies: [], tags: {} },
  ],
  assignments: [
    ...converged.assignments,
    { principalType: 'USER', principalId: 'gone', permissionSetArn: 'arn:ro', permissionSetName: 'ReadOnly', accountId: '333333333333' },
    { principalType: 'USER', principalId: 'id-alice', principalName: 'alice', permissionSetArn: 'arn:ro', permissionSetName: 'ReadOnly', accountId: '222222222222' },
    { principalType: 'USER', principalId: 'id-alice', principalName: 'alice', permissionSetArn: 'arn:ro', permissionSetName: 'ReadOnly', accountId: '333333333333' },
  ],
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-import-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('importConfig', () => {
  const result = importConfig(live, { identitySource: 'internal', schemaBase: '../schemas', region: 'eu-west-1' });
  const file = (p: string) => result.files.find((f) => f.path === p)?.content ?? '';

  it('writes one file per section, each with the schema hint', () => {
    expect(result.files.map((f) => f.path)).toEqual([
      'assignments.yaml',
      'gatehouse.yaml',
      'groups.yaml',
      'organization.yaml',
      'permission-sets.yaml',
      'policies/ReadOnly.json',
      'users.yaml',
    ]);
    expect(file('gatehouse.yaml').split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/gatehouse.schema.json');
    expect(file('organization.yaml').split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/organization.schema.json');
    for (const p of ['assignments.yaml', 'groups.yaml', 'permission-sets.yaml', 'users.yaml']) {
      expect(file(p).split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/config.schema.json');
    }
  });

  it('writes compact assignments and notes what it left out', () => {
    expect(file('assignments.yaml')).toContain(
      ['  - groups:', '      - admins', '    permissionSets:', '      - AdministratorAccess', '    accounts:', '      - prod-core'].join('\n'),
    );
    expect(file('assignments.yaml')).toContain(['  - users:', '      - alice', '    permissionSets:', '      - ReadOnly', '    ous:', '      - /Root/Workloads'].join('\n'));
    expect(file('permission-sets.yaml')).not.toContain('AWSServiceCatalog');
    expect(result.counts).toEqual({ users: 3, groups: 2, permissionSets: 2, assignments: 4, rules: 3 });
    expect(result.notes).toEqual([
      'permission set AWSServiceCatalogEndUserAccess: matches ignore.permissionSets; not imported',
      'assignment of ReadOnly in 333333333333 to user id gone: the principal no longer exists; not imported',
    ]);
  });

  it('plans to nothing against the live state it came from', async () => {
    writeConfigDir(dir, result.files, { force: true });
    const loaded = await loadConfig(dir, { now: NOW });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const org = loaded.organization!;
    expect(org.accounts).toEqual([...live.organization.accounts].sort((a, b) => a.id.localeCompare(b.id)));
    // Ids in AWS's format survive; others are derived from the path by the loader.
    expect(org.ous.map((ou) => ou.path)).toEqual(['/Root/Workloads', '/Root/Workloads/Dev', '/Root/Workloads/Prod']);
    expect(org.ous.find((ou) => ou.name === 'Prod')?.id).toBe('ou-ab12-cd34ef56');
    const plan = buildPlan({ desired: loaded.desired!, live, now: NOW });
    // Everything but the orphan, which no config can name: the plan cleans it up.
    expect(plan.waves.flatMap((w) => w.changes)).toEqual([
      expect.objectContaining({ kind: 'assignment.delete', principalId: 'gone', cause: 'orphaned' }),
    ]);
    expect(plan.unmanaged).toEqual([]);
    const withoutOrphan = { ...live, assignments: live.assignments.filter((a) => a.principalName !== undefined) };
    expect(buildPlan({ desired: loaded.desired!, live: withoutOrphan, now: NOW }).waves).toEqual([]);
  });

  it('writes a valid config for a user created without Name or DisplayName (the API allows it), which plans to nothing', async () => {
    const bare = { id: 'id-svc', userName: 'svc-bot', displayName: '', givenName: '', familyName: '' };
    const withBare: LiveState = { ...live, users: [...live.users, bare], assignments: live.assignments.filter((a) => a.principalName !== undefined) };
    const imported = importConfig(withBare, { identitySource: 'internal', schemaBase: '../schemas', region: 'eu-west-1' });
    expect(imported.files.find((f) => f.path === 'users.yaml')!.content).toContain('- userName: svc-bot\n');
    writeConfigDir(dir, imported.files, { force: true });
    const loaded = await loadConfig(dir, { now: NOW });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(buildPlan({ desired: loaded.desired!, live: withBare, now: NOW }).waves).toEqual([]);
  });

  it('with an external identity source writes no users or groups', async () => {
    const external = importConfig(live, { identitySource: 'external' });
    expect(external.files.map((f) => f.path)).not.toContain('users.yaml');
    expect(external.files.map((f) => f.path)).not.toContain('groups.yaml');
    writeConfigDir(dir, external.files, { force: true });
    const loaded = await loadConfig(dir, { now: NOW });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.desired!.referencedGroups).toEqual(['admins', 'devs']);
  });
});

describe('writeConfigDir', () => {
  const files = [
    { path: 'a.yaml', content: 'a: 1\n' },
    { path: 'policies/p.json', content: '{}\n' },
  ];

  it('creates the directory with every file, leaving no staging directory behind', () => {
    const out = path.join(dir, 'new', 'config');
    writeConfigDir(out, files);
    expect(fs.readFileSync(path.join(out, 'policies', 'p.json'), 'utf8')).toBe('{}\n');
    expect(fs.readdirSync(path.join(dir, 'new'))).toEqual(['config']);
  });

  it('refuses a non-empty directory unless forced, then replaces it whole', () => {
    fs.writeFileSync(path.join(dir, 'old.yaml'), 'x: 1\n');
    expect(() => writeConfigDir(dir, files)).toThrow(/is not empty \(1 entries\).*--force/);
    expect(fs.readdirSync(dir)).toEqual(['old.yaml']);
    writeConfigDir(dir, files, { force: true });
    expect(fs.readdirSync(dir).sort()).toEqual(['a.yaml', 'policies']);
    expect(fs.readdirSync(path.dirname(dir)).filter((n) => n.startsWith(`.${path.basename(dir)}`))).toEqual([]);
  });

  it('writes into an existing empty directory', () => {
    writeConfigDir(dir, files);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.yaml', 'policies']);
  });
});
