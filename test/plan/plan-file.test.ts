import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/build-plan.js';
import { parsePlanFile, planId, serializePlan } from '../../src/plan/plan-file.js';
import { NOW, scenarioDesired, scenarioLive } from './scenario.js';

const plan = buildPlan({ desired: scenarioDesired, live: scenarioLive, now: NOW, gitCommit: '4b825dc642cb6eb9a060e54bf8d69288fbee4904' });
const text = serializePlan(plan);

describe('serializePlan', () => {
  it('writes a stable JSON document with format_version, plan_id and no timestamps', () => {
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual([
      'plan_id',
      'format_version',
      'git_commit',
      'desired_digest',
      'live_fingerprint',
      'summary',
      'waves',
      'unmanaged',
      'diagnostics',
      'account_names',
    ]);
    expect(doc.format_version).toBe(1);
    expect(doc.plan_id).toBe(planId(plan));
    expect(text).not.toMatch(/"(created|generated|timestamp|time)/);
    expect(serializePlan(buildPlan({ desired: scenarioDesired, live: scenarioLive, now: NOW, gitCommit: plan.gitCommit }))).toBe(text);
  });

  it('gives different plans different ids', () => {
    const other = buildPlan({ desired: scenarioDesired, live: scenarioLive, now: NOW, gitCommit: 'ffff' });
    expect(planId(other)).not.toBe(planId(plan));
  });
});

describe('parsePlanFile', () => {
  it('reads back exactly the plan that was written', () => {
    const parsed = parsePlanFile(text);
    expect(parsed.error).toBeUndefined();
    expect(parsed.planId).toBe(planId(plan));
    expect(parsed.plan).toEqual(plan);
  });

  it('rejects a file edited after it was written', () => {
    const edited = text.replace('"accountId":"222222222223"', '"accountId":"999999999999"');
    expect(edited).not.toBe(text);
    expect(parsePlanFile(edited).error).toMatch(/does not match its plan_id/);
  });

  it('rejects a truncated file without crashing', () => {
    expect(parsePlanFile(text.slice(0, text.length / 2)).error).toMatch(/not a Gatehouse plan file: it is not JSON/);
  });

  it('rejects a foreign JSON file', () => {
    expect(parsePlanFile('{"format_version": 4, "terraform_version": "1.9.0"}').error).toMatch(/not a Gatehouse plan file/);
    expect(parsePlanFile('[1,2,3]').error).toMatch(/not a Gatehouse plan file/);
    expect(parsePlanFile('null').error).toMatch(/not a Gatehouse plan file/);
  });

  it('rejects another format version with a clear message', () => {
    const doc = JSON.parse(text);
    doc.format_version = 2;
    expect(parsePlanFile(JSON.stringify(doc)).error).toMatch(/unsupported plan format_version 2; this Gatehouse reads version 1/);
  });

  it('names the exact place of a structural problem', () => {
    const doc = JSON.parse(text);
    doc.waves[0].changes[0].after.displayName = 42;
    expect(parsePlanFile(JSON.stringify(doc)).error).toBe('corrupted plan file: plan.waves[0].changes[0].after.displayName must be a string');
    const unknownKind = JSON.parse(text);
    unknownKind.waves[0].changes[0].kind = 'user.rename';
    expect(parsePlanFile(JSON.stringify(unknownKind)).error).toMatch(/plan\.waves\[0\]\.changes\[0\]\.kind "user\.rename" is not a known change/);
  });

  it('rejects a change moved into the wrong wave', () => {
    const doc = JSON.parse(text);
    const del = doc.waves.at(-1).changes[0];
    doc.waves[0].changes.push(del);
    expect(parsePlanFile(JSON.stringify(doc)).error).toMatch(/does not belong to wave 1/);
  });
});
