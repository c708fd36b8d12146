import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

// What a store file holds, as one hash over every row of every table but the apply lock (the
// lease row changes whenever anyone takes the lock, which is not a write to the store). Two
// equal digests mean nothing was written: no object, no audit record, no applied-plan row.

export function storeDigest(file: string): string {
  if (!existsSync(file)) return 'absent';
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'gatehouse_lock' ORDER BY name")
      .all()
      .map((t) => t.name);
    const hash = createHash('sha256');
    for (const t of tables) {
      const rows = db.prepare(`SELECT * FROM "${t}"`).all().map((r) => JSON.stringify(r)).sort();
      hash.update(`${t}\n${rows.join('\n')}\n`);
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

/** Audit records in a state file, by kind (intent, outcome, resolution). */
export function auditRecords(file: string): { seq: number; kind: string | null; intent_seq: number | null; operation: string; target: string; outcome: string }[] {
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gatehouse_audit'").get();
    if (!has) return [];
    return db.prepare('SELECT seq, kind, intent_seq, operation, target, outcome FROM gatehouse_audit ORDER BY seq').all() as never;
  } finally {
    db.close();
  }
}
