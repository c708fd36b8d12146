import { describe, expect, it } from 'vitest';
import { detectDrift } from '../../src/drift/detect-drift.js';
import { privilegeModel } from '../../src/datasets/privilege-data.js';
import { DRIFT_ISSUE_MARKER, syncDriftIssue, type IssueTracker, type TrackedIssue } from '../../src/drift/sync-drift-issue.js';
import type { LiveState } from '../../src/model/live.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { assignment, converged, desired, NOW } from './fixture.js';

/** An issue tracker in memory, recording every write. */
function memoryTracker(initial: TrackedIssue[] = []) {
  const issues = new Map<number, TrackedIssue & { open: boolean; labels: readonly string[] }>(
    initial.map((i) => [i.number, { ...i, open: true, labels: ['gatehouse-drift'] }]),
  );
  const writes: string[] = [];
  const comments: string[] = [];
  let next = 100;
  const tracker: IssueTracker = {
    openIssues: async (label) => [...issues.values()].filter((i) => i.open && i.labels.includes(label)),
    createIssue: async (issue) => {
      const number = next++;
      issues.set(number, { number, title: issue.title, body: issue.body, labels: issue.labels, open: true });
      writes.push(`create #${number}`);
      return number;
    },
    updateIssue: async (number, issue) => {
      issues.set(number, { ...issues.get(number)!, ...issue });
      writes.push(`update #${number}`);
    },
    closeIssue: async (number, comment) => {
      issues.set(number, { ...issues.get(number)!, open: false });
      comments.push(comment);
      writes.push(`close #${number}`);
    },
  };
  return { tracker, issues, writes, comments };
}

const reportFor = (live: LiveState) => detectDrift({ desired, live, plan: buildPlan({ desired, live, now: NOW }), now: NOW, privilege: privilegeModel() });
const drifted = reportFor({ ...converged, assignments: [...converged.assignments, assignment('USER', 'alice', 'AdministratorAccess', '222222222222')] });
const driftedMore = reportFor({
  ...converged,
  assignments: [...converged.assignments, assignment('USER', 'alice', 'AdministratorAccess', '222222222222'), assignment('USER', 'bob', 'ReadOnly', '333333333333')],
});
const clean = reportFor(converged);

describe('syncDriftIssue', () => {
  it('opens one issue on drift, rewrites it as drift changes, leaves it alone when unchanged, closes it when clean', async () => {
    const { tracker, issues, writes, comments } = memoryTracker();
    expect(await syncDriftIssue(tracker, drifted, { now: NOW })).toEqual({ action: 'created', number: 100 });
    expect(issues.get(100)).toMatchObject({ title: 'Gatehouse drift: 1 finding (1 high risk)', labels: ['gatehouse-drift'] });
    expect(issues.get(100)!.body).toContain(DRIFT_ISSUE_MARKER);
    expect(issues.get(100)!.body).toContain('| 🔴 High | 1 |');

    expect(await syncDriftIssue(tracker, drifted, { now: new Date(NOW.getTime() + 86_400_000) })).toEqual({ action: 'unchanged', number: 100 });
    expect(await syncDriftIssue(tracker, driftedMore, { now: NOW })).toEqual({ action: 'updated', number: 100 });
    expect(issues.get(100)!.title).toBe('Gatehouse drift: 2 findings (1 high risk)');

    expect(await syncDriftIssue(tracker, clean, { now: NOW })).toEqual({ action: 'closed', number: 100 });
    expect(comments).toEqual(['No drift as of 2025-06-01T00:00:00.000Z: the live state matches the config.']);
    expect(writes).toEqual(['create #100', 'update #100', 'close #100']);
    expect(await syncDriftIssue(tracker, clean, { now: NOW })).toEqual({ action: 'none' });
  });

  it('never overwrites an issue it did not write, even with the label', async () => {
    const { tracker, issues } = memoryTracker([{ number: 7, title: 'Discuss drift policy', body: 'a human wrote this' }]);
    expect(await syncDriftIssue(tracker, drifted, { now: NOW })).toEqual({ action: 'created', number: 100 });
    expect(issues.get(7)!.body).toBe('a human wrote this');
    expect(await syncDriftIssue(tracker, clean, { now: NOW })).toEqual({ action: 'closed', number: 100 });
    expect(issues.get(7)!.open).toBe(true);
  });
});
