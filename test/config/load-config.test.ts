import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { formatDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { userKey } from '../../src/model/keys.js';
import { NOW, ORGANIZATION_YAML, USERS_YAML } from './helpers.js';

let dir: string;
const write = async (rel: string, text: string | Buffer) => {
  await mkdir(join(dir, rel, '..'), { recursive: true });
  await writeFile(join(dir, rel), text);
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-load-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('reads every YAML file, skipping dot-folders, node_modules and the organisation file', async () => {
    await write('gatehouse.yaml', 'version: 1\norganization: org/organization.yaml\n');
    await write('org/organization.yaml', ORGANIZATION_YAML);
    await write('people/users.yml', USERS_YAML);
    await write('ps.yaml', 'permissionSets:\n  - name: Read\n    inlinePolicy: policies/read.json\n');
    await write('policies/read.json', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}');
    await write('a.yaml', 'assignments:\n  - users: [alice]\n    permissionSets: [Read]\n    accounts: [prod-core]\n');
    await write('.gatehouse/state.yaml', 'garbage: [');
    await write('.github/workflow.yml', 'on: push');
    await write('node_modules/x/y.yaml', 'garbage: [');
    await write('notes.txt', 'not yaml');
    const result = await loadConfig(dir, { now: NOW });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.files).toEqual([join(dir, 'gatehouse.yaml'), join(dir, 'a.yaml'), join(dir, 'people/users.yml'), join(dir, 'ps.yaml'), join(dir, 'org/organization.yaml')]);
    expect(result.organization?.accounts).toHaveLength(4);
    expect(result.desired?.users.map((u) => u.userName)).toEqual(['alice', 'bob']);
    expect(result.desired?.sources.get(userKey('bob'))).toEqual({ file: join(dir, 'people/users.yml'), line: 5, col: 5 });
    expect(JSON.parse(result.desired!.permissionSets[0]!.inlinePolicy!).Statement.Action).toBe('s3:Get*');
  });

  it('checks references against the organisation file', async () => {
    await write('gatehouse.yaml', 'version: 1\norganization: organization.yaml\n');
    await write('organization.yaml', ORGANIZATION_YAML);
    await write('users.yaml', USERS_YAML);
    await write('a.yaml', 'permissionSets: [{ name: P }]\nassignments:\n  - users: [alice]\n    permissionSets: [P]\n    accounts: [prod-cor]\n');
    const result = await loadConfig(dir, { now: NOW });
    expect(result.desired).toBeUndefined();
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      `${join(dir, 'a.yaml')}:5:16: error [unknown-reference] account \`prod-cor\` is not in the organisation; did you mean \`prod-core\`?`,
    ]);
  });

  it('reports a missing organisation file, a missing root file and a missing directory', async () => {
    await write('gatehouse.yaml', 'version: 1\norganization: nope.yaml\n');
    expect((await loadConfig(dir)).diagnostics.map(formatDiagnostic)).toEqual([
      `${join(dir, 'gatehouse.yaml')}:2:15: error [read-file] cannot read the organization file ${join(dir, 'nope.yaml')}: no such file`,
    ]);
    await rm(join(dir, 'gatehouse.yaml'));
    await write('users.yaml', USERS_YAML);
    expect((await loadConfig(dir)).diagnostics.map(formatDiagnostic)).toEqual([
      `error [missing-settings] ${join(dir, 'gatehouse.yaml')} not found; a config directory needs a gatehouse.yaml with at least \`version: 1\``,
    ]);
    const missing = await loadConfig(join(dir, 'absent'));
    expect(missing.diagnostics.map(formatDiagnostic)).toEqual([`error [read-file] cannot read the config directory ${join(dir, 'absent')}: no such directory`]);
  });

  it('refuses files over limits.maxFileBytes without reading them, and binary files', async () => {
    await write('gatehouse.yaml', 'version: 1\nlimits: { maxFileBytes: 1000 }\n');
    await write('big.yaml', `# ${'x'.repeat(2000)}\n`);
    await write('blob.yaml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]));
    const start = performance.now();
    const result = await loadConfig(dir);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      `${join(dir, 'big.yaml')}:1:1: error [file-too-large] cannot read ${join(dir, 'big.yaml')}: it is 2003 bytes, over the limit of 1000 bytes per file (settings limits.maxFileBytes, default 5 MiB); split it into several files`,
      `${join(dir, 'blob.yaml')}:1:1: error [invalid-utf8] the file is not valid UTF-8 text (byte 0x89 at byte offset 0); save it as UTF-8`,
    ]);
  });

  it('uses paths as the user typed the directory', async () => {
    await write('gatehouse.yaml', 'version: 1\n');
    await write('u.yaml', 'users: 3\n');
    const cwd = process.cwd();
    process.chdir(join(dir, '..'));
    try {
      const result = await loadConfig(join('.', dir.split('/').pop()!));
      expect(result.diagnostics[0]?.source?.file).toBe(`${dir.split('/').pop()}/u.yaml`);
    } finally {
      process.chdir(cwd);
    }
  });
});
