import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { countExpanded } from '../../bench/gen/expand.js';
import { generateConfig } from '../../bench/gen/generate-config.js';
import type { GenAccount, GenOrganization, GenRule } from '../../bench/gen/model.js';
import { REFERENCE_NOW, SIZES } from '../../bench/gen/sizes.js';
import { confusableSkeleton } from '../../bench/gen/unique-names.js';
import { mutateConfig } from '../../bench/gen/mutate.js';
import { createRandom } from '../../bench/gen/random.js';
import { generateInto, writeConfig } from '../../bench/gen/write-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { expandAssignments } from '../../src/expand/expand-assignments.js';

const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const now = new Date(REFERENCE_NOW);
let large: ReturnType<typeof generateConfig> | undefined;
const generateLarge = () => (large ??= generateConfig('L', 1));

describe('bench generator', () => {
  const dirA = join(scratch, 'a');
  const dirB = join(scratch, 'b');
  const manifest = generateInto('S', 7, dirA);
  generateInto('S', 7, dirB);
  const files = readTree(dirA);

  it('writes byte-identical files for the same size and seed', () => {
    const other = readTree(dirB);
    expect([...other.keys()].sort()).toEqual([...files.keys()].sort());
    for (const [path, text] of files) expect(other.get(path), path).toBe(text);
  });

  it('writes different organisations for different seeds', () => {
    const dirC = join(scratch, 'c');
    generateInto('S', 8, dirC);
    expect(readFileSync(join(dirC, 'users/users-001.yaml'), 'utf8')).not.toBe(files.get('users/users-001.yaml'));
  });

  it('writes the S sizes of the issue, with an expansion in the S range', () => {
    expect(manifest.counts).toMatchObject({ users: 1_000, groups: 100, accounts: 100, permissionSets: 30 });
    expect(manifest.counts.expandedAssignments).toBeGreaterThanOrEqual(3_000);
    expect(manifest.counts.expandedAssignments).toBeLessThanOrEqual(6_000);
    expect(manifest.counts.directUserRules).toBeGreaterThan(0);
    expect(manifest.counts.expiringRules).toBeGreaterThan(0);
    expect(JSON.parse(files.get('manifest.json') ?? '')).toEqual(manifest);
  });

  it('writes YAML that reads back as the generated model (quoting, ids as strings)', () => {
    const { config } = generateConfig('S', 7);
    const users = [...files].filter(([p]) => p.startsWith('users/')).sort().flatMap(([, t]) => parse(t).users);
    expect(users).toEqual(
      config.users.map((u) => ({ userName: u.userName, displayName: u.displayName, name: { given: u.given, family: u.family }, email: u.userName, title: u.title })),
    );
    // Some names need quotes (O'Brien) and must survive them.
    expect(users.some((u: { displayName: string }) => u.displayName.includes("'"))).toBe(true);
    const groups = [...files].filter(([p]) => p.startsWith('groups/')).flatMap(([, t]) => parse(t).groups);
    const byName = (a: [string, string[]], b: [string, string[]]) => (a[0] < b[0] ? -1 : 1);
    expect(groups.map((g: { name: string; members: string[] }): [string, string[]] => [g.name, g.members]).sort(byName)).toEqual(
      config.groups.map((g): [string, string[]] => [g.name, [...g.members]]).sort(byName),
    );
    const org = parse(files.get('organization.yaml') ?? '');
    const ids: unknown[] = [];
    const walk = (ou: { accounts?: { id: unknown }[]; ous?: unknown[] }): void => {
      for (const a of ou.accounts ?? []) ids.push(a.id);
      for (const child of ou.ous ?? []) walk(child as typeof ou);
    };
    walk(org);
    expect(ids).toHaveLength(100);
    expect(ids.every((id) => typeof id === 'string' && /^\d{12}$/.test(id))).toBe(true);
    const rules = [...files].filter(([p]) => p.startsWith('assignments/')).flatMap(([, t]) => parse(t).assignments);
    expect(rules).toHaveLength(config.rules.length);
    for (const [path, text] of files) if (path.startsWith('policies/')) expect(JSON.parse(text).Version).toBe('2012-10-17');
  });

  it('respects the AWS limits the validator enforces on permission sets', () => {
    const { config } = generateLarge();
    for (const ps of config.permissionSets) {
      expect(ps.name).toMatch(/^[\w+=,.@-]{1,32}$/);
      expect(ps.description).toMatch(/^[\t\n\r\x20-\x7e\xa1-\xff]{1,700}$/);
      expect(ps.sessionDuration).toMatch(/^PT([1-9]|1[0-2])H$/);
      expect(ps.managedPolicies.length + ps.customerManagedPolicies.length).toBeLessThanOrEqual(20);
    }
  });

  it('never generates two principal names a reviewer could confuse (l/1/I, 0/O)', () => {
    const { config } = generateLarge();
    const names = [...config.users.map((u) => u.userName.split('@')[0] as string), ...config.groups.map((g) => g.name)];
    // A simpler fold than the generator's, so the check does not merely restate it.
    const fold = (s: string): string => s.toLowerCase().replace(/[1il]/g, 'l').replace(/0/g, 'o');
    expect(new Set(names.map(fold)).size).toBe(names.length);
    expect(new Set(names.map(confusableSkeleton)).size).toBe(names.length);
  });

  it('scales M and L to the sizes of the issue', () => {
    for (const size of ['M', 'L'] as const) {
      const { config, expandedAssignments } = size === 'L' ? generateLarge() : generateConfig(size, 1);
      const profile = SIZES[size];
      expect(config.users).toHaveLength(profile.users);
      expect(config.groups).toHaveLength(profile.groups);
      expect(config.organization.accounts).toHaveLength(profile.accounts);
      expect(config.permissionSets).toHaveLength(profile.permissionSets);
      expect(expandedAssignments).toBeGreaterThanOrEqual(profile.targetExpanded);
      expect(expandedAssignments).toBeLessThan(profile.targetExpanded * 1.05);
      // Zipf-ish membership: a few huge groups, a long tail of small ones.
      const sizes = config.groups.map((g) => g.members.length).sort((a, b) => b - a);
      expect(sizes[0]).toBe(profile.users);
      expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThan(profile.users / 100);
    }
  });

  it('refuses to overwrite a directory it did not generate', () => {
    const dir = join(scratch, 'precious');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    expect(() => generateInto('S', 1, dir)).toThrow(/refusing to overwrite/);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('validates with zero errors and warnings, and the product expands exactly the manifest count', async () => {
    const result = await loadConfig(dirA, { now });
    expect(result.diagnostics.map((d) => `${d.severity} ${d.rule} ${d.message}`)).toEqual([]);
    expect(result.desired && result.organization).toBeTruthy();
    if (!result.desired || !result.organization) return;
    const expansion = expandAssignments(result.desired.assignments, result.organization, now);
    expect(expansion.diagnostics).toEqual([]);
    expect(expansion.tuples).toHaveLength(manifest.counts.expandedAssignments);
    expect(result.desired.users).toHaveLength(manifest.counts.users);
    expect(result.desired.memberships).toHaveLength(manifest.counts.memberships);
  });
});

describe('bench expansion (the cross-check for src/expand)', () => {
  const account = (id: string, name: string, ouPath: string, tags: Record<string, string> = {}, suspended = false): GenAccount => ({
    id,
    name,
    email: `${name}@x.example`,
    ouPath,
    ...(suspended && { status: 'SUSPENDED' as const }),
    tags,
  });
  const org: GenOrganization = {
    managementAccountId: '000000000001',
    ouPaths: ['/Root/W', '/Root/W/Prod', '/Root/W/Prod/Pay', '/Root/Closed'],
    accounts: [
      account('000000000001', 'management', '/Root', { env: 'prod' }),
      account('000000000002', 'shared', '/Root/W', { env: 'prod' }),
      account('000000000003', 'prod-a', '/Root/W/Prod', { env: 'prod', team: 'a' }),
      account('000000000004', 'prod-pay', '/Root/W/Prod/Pay', { env: 'prod', team: 'pay' }),
      account('000000000005', 'closed', '/Root/Closed', { env: 'prod' }, true),
    ],
  };
  const rule = (r: Partial<GenRule>): GenRule => ({
    users: [],
    groups: ['g'],
    permissionSets: ['PS'],
    accounts: [],
    ous: [],
    accountTags: {},
    exclude: { accounts: [], ous: [] },
    file: 'x.yaml',
    ...r,
  });

  it('reaches the management account only when named, and never suspended accounts', () => {
    expect(countExpanded([rule({ accountTags: { env: 'prod' } })], org, now)).toBe(3);
    expect(countExpanded([rule({ ous: [{ path: '/Root', recursive: true }] })], org, now)).toBe(3);
    expect(countExpanded([rule({ accounts: ['management', 'closed'] })], org, now)).toBe(1);
  });

  it('honours recursive: false, exclusions, expiry and de-duplicates across rules', () => {
    expect(countExpanded([rule({ ous: [{ path: '/Root/W', recursive: false }] })], org, now)).toBe(1);
    const excluded = rule({
      ous: [{ path: '/Root/W', recursive: true }],
      exclude: { accounts: ['000000000002'], ous: [{ path: '/Root/W/Prod/Pay', recursive: true }] },
    });
    expect(countExpanded([excluded], org, now)).toBe(1);
    expect(countExpanded([rule({ accounts: ['prod-a'], expires: '2026-01-01T00:00:00Z' })], org, now)).toBe(0);
    expect(countExpanded([rule({ accounts: ['prod-a'], users: ['u'], permissionSets: ['A', 'B'] }), rule({ accounts: ['prod-a'], permissionSets: ['A'] })], org, now)).toBe(4);
  });
});

describe('bench 1% change', () => {
  it('edits about 1% of the S config and still validates cleanly', async () => {
    const { config } = generateConfig('S', 7);
    const { config: changed, summary } = mutateConfig(config, createRandom(7).fork('one-percent-change'));
    expect(summary.usersAdded).toBe(3);
    expect(summary.usersRemoved).toBe(3);
    expect(summary.rulesRemoved).toBeGreaterThan(0);
    expect(changed.users).toHaveLength(config.users.length);
    expect(changed.rules.length).toBe(config.rules.length - summary.rulesRemoved);
    const dir = join(scratch, 'changed');
    writeConfig(changed, -1, dir);
    const result = await loadConfig(dir, { now });
    expect(result.diagnostics.map((d) => `${d.severity} ${d.rule} ${d.message}`)).toEqual([]);
    const userNames = new Set(result.desired?.users.map((u) => u.userName));
    expect(config.users.filter((u) => !userNames.has(u.userName))).toHaveLength(summary.usersRemoved);
  });
});
