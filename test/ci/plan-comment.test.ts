// The plan comment's first part, what blocks apply, keeps whole lines and counts what it leaves
// out; the comment stays under GitHub's 65,536 characters however many problems there are.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { renderPlanComment } from '../../src/ci/plan-comment.js';
import type { Plan } from '../../src/plan/plan.js';
import { GITHUB_COMMENT_LIMIT } from '../../src/output/markdown-budget.js';

const problems = (n: number): Diagnostic[] =>
  Array.from({ length: n }, (_, i) => ({
    severity: 'error',
    rule: 'guardrail',
    message: `guardrail \`no-user-admin-in-prod\` denies user user${i}@acme.example → AdministratorAccess in prod-core; change this assignment or the guardrail at identity/gatehouse.yaml:21`,
    source: { file: 'identity/assignments.yaml', line: 100 + i, col: 5 },
  }));

const plan = (diagnostics: Diagnostic[]): Plan => ({
  formatVersion: 1 as Plan['formatVersion'],
  waves: [],
  summary: { add: 0, change: 0, destroy: 0 },
  unmanaged: [],
  diagnostics,
  desiredDigest: '0'.repeat(64),
  liveFingerprint: '0'.repeat(64),
});

describe('what blocks apply', () => {
  it('lists whole problems and says how many more there are', () => {
    const body = renderPlanComment({ plan: plan(problems(2_000)), configDir: 'identity', instance: 'sqlite', accounts: new Map(), whole: { where: 'job-summary' }, budget: GITHUB_COMMENT_LIMIT });
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(body).toContain('> Apply will refuse this plan: 2000 problems to fix first.');
    const listed = body.split('\n').filter((l) => l.startsWith('- `` identity/assignments.yaml:'));
    expect(listed.length).toBeGreaterThan(10);
    for (const line of listed) expect(line).toMatch(/^- `` identity\/assignments\.yaml:\d+:5: error \[guardrail\] .*gatehouse\.yaml:21 ``$/);
    expect(body).toContain(`_…and ${(2_000 - listed.length).toLocaleString('en-US')} more problems (the run's log lists every one) not shown here._`);
  });

  it('lists every problem when they fit', () => {
    const body = renderPlanComment({ plan: plan(problems(3)), configDir: 'identity', instance: 'sqlite', accounts: new Map(), whole: { where: 'job-summary' }, budget: GITHUB_COMMENT_LIMIT });
    expect(body.split('\n').filter((l) => l.startsWith('- `` identity/assignments.yaml:'))).toHaveLength(3);
    expect(body).not.toContain('not shown here');
  });
});

describe('withoutWorkspace', () => {
  it('names files in the checkout as the repository does, and leaves other paths alone', async () => {
    const { withoutWorkspace } = await import('../../src/ci/github-plan.js');
    expect(withoutWorkspace('no gatehouse.yaml in /home/runner/work/r/r/identity: pass --config DIR', '/home/runner/work/r/r')).toBe('no gatehouse.yaml in identity: pass --config DIR');
    expect(withoutWorkspace('cannot read /home/runner/work/r/r: EACCES', '/home/runner/work/r/r/')).toBe('cannot read .: EACCES');
    expect(withoutWorkspace('/home/runner/work/r/rx/state.db and /home/runner/work/r/r', '/home/runner/work/r/r')).toBe('/home/runner/work/r/rx/state.db and .');
  });
});
