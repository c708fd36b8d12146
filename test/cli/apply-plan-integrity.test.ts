import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../../src/diff/change.js';
import { parsePlanFile, serializePlan } from '../../src/plan/plan-file.js';
import type { Plan } from '../../src/plan/plan.js';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';
import { auditRecords, storeDigest } from '../helpers/store-digest.js';

// Issue #8, "Plan integrity": a saved plan records what was reviewed and is never trusted.
// Apply re-derives the plan from config + live and refuses, writing nothing, unless the changes
// are identical; a plan made for another store or instance says so.

const acme = path.join(repoRoot, 'examples', 'acme');
let tmp: { dir: string; cleanup: () => void };
let config: string;
let db: string;
let store: string;

beforeEach(() => {
  tmp = tempDir('gatehouse-plan-integrity-');
  config = path.join(tmp.dir, 'config');
  cpSync(acme, config, { recursive: true });
  db = path.join(tmp.dir, 'live.db');
  store = `sqlite:${db}`;
});
afterEach(() => tmp.cleanup());

const planTo = (file: string, args: string[] = []) => {
  const r = gatehouse(['plan', '--config', config, '--store', store, '--out', file, ...args]);
  expect(r.code, r.stderr).toBe(0);
};

/** Edits a saved plan as an attacker would: change the content, then recompute every hash the file carries. */
function forge(file: string, edit: (plan: Plan) => Plan): void {
  const parsed = parsePlanFile(readFileSync(file, 'utf8'));
  expect(parsed.error).toBeUndefined();
  writeFileSync(file, serializePlan(edit(parsed.plan!)));
  // The forged file is a well-formed plan file with a matching plan_id.
  expect(parsePlanFile(readFileSync(file, 'utf8')).error).toBeUndefined();
}

const bobAdminInManagement: Change = {
  kind: 'assignment.create',
  assignment: { principalType: 'USER', principalName: 'bob@acme.example', permissionSetName: 'AdministratorAccess', accountId: '111111111111' },
};

describe('apply of a saved plan', () => {
  it('refuses an edited and re-hashed plan that adds bob → AdministratorAccess in the management account, with zero writes', () => {
    // A store with acme applied, so the forged change is the only one in the file.
    expect(gatehouse(['apply', '--config', config, '--store', store, '--auto-approve']).code).toBe(0);
    const planFile = path.join(tmp.dir, 'plan.json');
    planTo(planFile);
    forge(planFile, (plan) => ({
      ...plan,
      waves: [{ index: 4, name: 'create account assignments', changes: [bobAdminInManagement] }],
      summary: { add: 1, change: 0, destroy: 0 },
    }));
    const before = storeDigest(db);

    const r = gatehouse(['apply', planFile, '--config', config, '--store', store]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain(`Refusing to apply ${planFile}`);
    expect(r.stderr).toMatch(/only in the plan file \(1\):\n\s+\+ .*bob@acme\.example.*AdministratorAccess in (management|111111111111)/);
    // Neither side moved since the plan was made: the message must not blame them. (It did: plan
    // read the organisation file without account status and apply read the store's ACTIVE.)
    expect(r.stderr).not.toContain('has changed since');
    expect(r.stderr).toContain('Nothing was changed');
    expect(r.stdout).not.toContain('Apply complete');
    expect(storeDigest(db)).toBe(before);
    const plan = gatehouse(['plan', '--config', config, '--store', store, '--detailed-exitcode']);
    expect(plan.code, plan.stdout).toBe(0);
  });

  it('refuses a forged plan that hides the grant among the reviewed changes, applying none of them', () => {
    expect(gatehouse(['apply', '--config', config, '--store', store, '--auto-approve']).code).toBe(0);
    writeFileSync(path.join(config, 'extra.yaml'), 'users:\n  - { userName: zed@acme.example, displayName: Zed, name: { given: Zed, family: Z } }\n');
    const planFile = path.join(tmp.dir, 'plan.json');
    planTo(planFile);
    forge(planFile, (plan) => ({
      ...plan,
      waves: [...plan.waves, { index: 4, name: 'create account assignments', changes: [bobAdminInManagement] }],
      summary: { ...plan.summary, add: plan.summary.add + 1 },
    }));
    const before = storeDigest(db);
    const r = gatehouse(['apply', planFile, '--config', config, '--store', store]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/only in the plan file \(1\)/);
    // Not even the genuine change (zed) was made: the file is refused as a whole.
    expect(storeDigest(db)).toBe(before);
    expect(gatehouse(['plan', '--config', config, '--store', store, '--detailed-exitcode']).code).toBe(2);
  });

  it('refuses a plan applied after one of its grants expired, and names the grant', async () => {
    expect(gatehouse(['apply', '--config', config, '--store', store, '--auto-approve']).code).toBe(0);
    // A temporary admin grant (by group: the guardrail forbids direct user admin in prod only).
    const expires = new Date(Date.now() + 6_000);
    writeFileSync(
      path.join(config, 'temporary.yaml'),
      `assignments:\n  - users: [bob@acme.example]\n    permissionSets: [AdministratorAccess]\n    accounts: [management]\n    expires: ${expires.toISOString()}\n    reason: INC-1 break-glass\n`,
    );
    const planFile = path.join(tmp.dir, 'plan.json');
    planTo(planFile);
    const planned = parsePlanFile(readFileSync(planFile, 'utf8')).plan!;
    expect(planned.waves.flatMap((w) => w.changes).map((c) => c.kind)).toEqual(['assignment.create']);
    const before = storeDigest(db);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expires.getTime() - Date.now() + 200)));
    const r = gatehouse(['apply', planFile, '--config', config, '--store', store]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/it grants access that has expired since it was made \(.*bob@acme\.example.*AdministratorAccess/);
    expect(storeDigest(db)).toBe(before);
  }, 60_000);

  it('says a plan made for another store was made for it, and repeats --config and --store in the re-plan hint', () => {
    const planFile = path.join(tmp.dir, 'plan.json');
    planTo(planFile);
    const otherDb = path.join(tmp.dir, 'other.db');
    // Both stores are empty, so the changes are identical: only the target tells them apart.
    const r = gatehouse(['apply', planFile, '--config', config, '--store', `sqlite:${otherDb}`]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain(`the plan was made for sqlite:${db}`);
    expect(r.stderr).toContain(`not for sqlite:${otherDb}`);
    expect(r.stderr).not.toContain('live state has changed');
    expect(r.stderr).toContain(`Make a new plan with: gatehouse plan --config ${config} --store sqlite:${otherDb} --out ${planFile}`);
    expect(auditRecords(otherDb)).toEqual([]);
    expect(storeDigest(db)).toBe('absent');
  });

  it('says a plan made for another instance was made for it', () => {
    // Two stores, each applied once: two Identity Center instances with different ARNs.
    expect(gatehouse(['apply', '--config', config, '--store', store, '--auto-approve']).code).toBe(0);
    const planFile = path.join(tmp.dir, 'plan.json');
    planTo(planFile);
    const target = parsePlanFile(readFileSync(planFile, 'utf8')).plan!.target!;
    expect(target.instanceArn).toMatch(/^arn:aws:sso:::instance\//);
    // The same file copied elsewhere (same path, other instance): a restored backup, a second org.
    const otherDir = path.join(tmp.dir, 'other');
    const otherDb = path.join(otherDir, 'live.db');
    expect(gatehouse(['apply', '--config', config, '--store', `sqlite:${otherDb}`, '--auto-approve']).code).toBe(0);
    forge(planFile, (plan) => ({ ...plan, target: { store: `sqlite:${otherDb}`, instanceArn: target.instanceArn } }));
    const before = storeDigest(otherDb);
    const r = gatehouse(['apply', planFile, '--config', config, '--store', `sqlite:${otherDb}`]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`the plan was made for sqlite:${otherDb} \\(instance ${target.instanceArn}\\), not for sqlite:${otherDb} \\(instance arn:aws:sso:::instance/`));
    expect(storeDigest(otherDb)).toBe(before);
  });
});
