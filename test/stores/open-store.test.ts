import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalError, UserError } from '../../src/diagnostics/errors.js';
import { openStore } from '../../src/stores/open-store.js';
import { CONTRACT_ORGANIZATION } from './store-contract.js';

let dir: string | undefined;
const cwd = process.cwd();
afterEach(async () => {
  process.chdir(cwd);
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('openStore', () => {
  it('opens sqlite:PATH relative to the working directory, creating its folder, and keeps data across opens', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-open-'));
    process.chdir(dir);
    const store = await openStore('sqlite:.gatehouse/live.db', { organization: CONTRACT_ORGANIZATION });
    expect(store.url).toMatch(/^sqlite:\/.*\/\.gatehouse\/live\.db$/);
    await store.perform({ kind: 'group.create', after: { displayName: 'admins' } });
    const first = await store.snapshot();
    await store.close();
    expect((await stat(path.join(dir, '.gatehouse', 'live.db'))).isFile()).toBe(true);

    const again = await openStore('sqlite:.gatehouse/live.db', { readOnly: true });
    const second = await again.snapshot();
    expect(second.groups).toEqual(first.groups);
    expect(second.instanceArn).toBe(first.instanceArn);
    expect(second.organization.accounts).toHaveLength(CONTRACT_ORGANIZATION.accounts.length);
    expect(again.capabilities().write).toBe(false);
    await expect(again.perform({ kind: 'group.delete', before: { displayName: 'admins' } })).rejects.toBeInstanceOf(TerminalError);
    await again.close();
  });

  it('refuses unknown or empty store URLs as user errors', async () => {
    await expect(openStore('sqlite:', {})).rejects.toBeInstanceOf(UserError);
    await expect(openStore('postgres://x', {})).rejects.toThrow(/unknown store/);
  });
});
