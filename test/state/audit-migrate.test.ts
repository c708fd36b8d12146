import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';
import { startDynalite, type Dynalite } from './dynalite-server.js';

// `audit migrate --from sqlite:… --to dynamodb:…` through the CLI, against dynalite: the chain
// keeps every hash (the target verifies with the source's head), a second run copies only what
// is new, and a target holding another chain is refused with nothing copied.

let dynalite: Dynalite;
let tmp: { dir: string; cleanup: () => void };

beforeAll(async () => {
  dynalite = await startDynalite();
  tmp = tempDir('gatehouse-migrate-');
});
afterAll(async () => {
  await dynalite?.stop();
  tmp?.cleanup();
});

const run = (args: readonly string[]) => gatehouse(args, { cwd: tmp.dir, env: dynalite.env });

describe('gatehouse audit migrate', () => {
  it('copies a sqlite chain to DynamoDB with every hash, resumes a partial copy, and refuses a target that is not a prefix', async () => {
    const acme = path.join(repoRoot, 'examples', 'acme');
    expect(run(['apply', '--config', acme, '--auto-approve']).code).toBe(0);
    const source = `sqlite:${path.join(tmp.dir, '.gatehouse', 'live.db')}`;
    const sourceVerify = run(['audit', 'verify', '--state', source]);
    expect(sourceVerify.code).toBe(0);

    await dynalite.createTable('gatehouse-migrated');
    const target = 'dynamodb:gatehouse-migrated@eu-west-1';
    const migrate = run(['audit', 'migrate', '--from', source, '--to', target]);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toMatch(/^Copied \d+ audit records and 1 applied plans from sqlite:.* to dynamodb:gatehouse-migrated@eu-west-1\.\n/);
    const targetVerify = run(['audit', 'verify', '--state', target]);
    expect(targetVerify.code, targetVerify.stderr).toBe(0);
    // The same records, the same head: a head published from the old state still holds.
    expect(targetVerify.stdout).toBe(sourceVerify.stdout);

    // The source moves on (one more apply); migrating again copies only the new records.
    const changed = path.join(tmp.dir, 'acme-changed');
    fs.cpSync(acme, changed, { recursive: true });
    fs.appendFileSync(path.join(changed, 'users.yaml'), '  - { userName: zed@acme.example, displayName: Zed, name: { given: Zed, family: Z }, email: zed@acme.example }\n');
    expect(run(['apply', '--config', changed, '--auto-approve']).code).toBe(0);
    const again = run(['audit', 'migrate', '--from', source, '--to', target]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Copied 2 audit records \(\d+ were there already\) and 1 applied plans/);
    expect(run(['audit', 'verify', '--state', target]).stdout).toBe(run(['audit', 'verify', '--state', source]).stdout);

    // A table holding another chain: not a prefix of this one, so nothing is copied.
    await dynalite.createTable('gatehouse-other');
    const other = path.join(tmp.dir, 'other');
    fs.mkdirSync(other);
    const otherStore = `sqlite:${path.join(other, 'live.db')}`;
    expect(gatehouse(['apply', '--config', acme, '--store', otherStore, '--state', 'dynamodb:gatehouse-other', '--auto-approve'], { cwd: other, env: dynalite.env }).code).toBe(0);
    const exportOther = () => run(['audit', 'export', '--state', 'dynamodb:gatehouse-other']).stdout;
    const before = exportOther();
    const refused = run(['audit', 'migrate', '--from', source, '--to', 'dynamodb:gatehouse-other']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Refusing to migrate: the target dynamodb:gatehouse-other@eu-west-1 already holds \d+ audit records that are not a prefix of the source's \d+ \(they differ from record 1\); nothing was copied\n$/);
    expect(exportOther()).toBe(before);
  });
});
