import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openState } from '../../src/state/open-state.js';
import { describeStateContract } from './state-contract.js';

// The shared-state contract against `sqlite:PATH`: one file per case in a temporary directory.

let dir: string;
let n = 0;

describeStateContract(
  'sqlite',
  async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-state-sqlite-'));
    return {
      env: {},
      async fresh() {
        const url = `sqlite:${path.join(dir, `state-${++n}.db`)}`;
        return { url, open: (options) => openState(url, { readOnly: options?.readOnly === true }) };
      },
      async truncate(url, count) {
        const db = new Database(url.slice('sqlite:'.length));
        try {
          db.prepare('DELETE FROM gatehouse_audit WHERE seq > ?').run(count);
          const last = db.prepare('SELECT hash FROM gatehouse_audit WHERE seq = ?').get(count) as { hash: string };
          db.prepare('UPDATE gatehouse_audit_head SET count = ?, last_hash = ?').run(count, last.hash);
        } finally {
          db.close();
        }
      },
    };
  },
  async () => fs.rmSync(dir, { recursive: true, force: true }),
);
