import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runStoreContract, CONTRACT_ORGANIZATION } from './store-contract.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';

runStoreContract('sqlite (file in a temp dir)', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-store-'));
  const store = await openSqliteStore(path.join(dir, 'nested', 'live.db'), { organization: CONTRACT_ORGANIZATION });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
