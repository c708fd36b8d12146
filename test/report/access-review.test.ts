import { describe, expect, it } from 'vitest';
import { buildAccessReview } from '../../src/report/access-review.js';
import { privilegeModel } from '../../src/datasets/privilege-data.js';
import { classifyByPrivilege } from '../../src/report/classify-by-privilege.js';

const classify = classifyByPrivilege(privilegeModel());
import { renderAccessReviewCsv } from '../../src/report/render-access-review-csv.js';
import { renderAccessReviewMarkdown } from '../../src/report/render-access-review-markdown.js';
import { compactMatrix, renderAccessReviewHtml } from '../../src/report/render-access-review-html.js';

const organization = {
  managementAccountId: '111111111111',
  ous: [],
  accounts: [{ id: '222222222222', name: 'prod', ouPath: '/Root/Prod', tags: { env: 'prod' } }],
};
const admin = { name: 'Admin', sessionDuration: 'PT1H', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'], customerManagedPolicies: [], tags: {} };
const source = { file: 'assignments.yaml', line: 3, col: 5 };
const rule = { users: [], groups: ['ops'], permissionSets: ['Admin'], accounts: ['prod'], ous: [], accountTags: {}, exclude: { accounts: [], ous: [] }, expires: '2027-01-01T00:00:00Z', reason: 'on-call =cmd|x', source };

const review = () =>
  buildAccessReview({
    grants: [{ userName: '=HYPERLINK("x")', accountId: '222222222222', permissionSetName: 'Admin', paths: [{ kind: 'group', groupName: 'ops|<b>', source }] }],
    organization,
    permissionSets: [admin],
    users: [],
    memberships: [],
    rules: [rule],
    classify,
    now: new Date('2026-12-02T10:00:00Z'),
    source: 'config',
  });

describe('access review', () => {
  it('joins each path to its rule: expiry and reason; privilege from the classifier', () => {
    const [row] = review().rows;
    expect(row).toMatchObject({ privilege: 'admin', expires: '2027-01-01T00:00:00Z' });
    expect(row!.privilegeReason).toContain('AdministratorAccess');
    expect(row!.paths).toEqual([{ group: 'ops|<b>', source: 'assignments.yaml:3', expires: '2027-01-01T00:00:00Z', reason: 'on-call =cmd|x' }]);
  });

  it('CSV quotes, and defuses cells a spreadsheet would run as formulas', () => {
    const csv = renderAccessReviewCsv(review());
    const [, line] = csv.split('\r\n');
    expect(line!.startsWith(`2026-12-02,"'=HYPERLINK(""x"")",`)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('Markdown cells cannot break the table or inject HTML', () => {
    const md = renderAccessReviewMarkdown(review());
    const row = md.split('\n').find((l) => l.includes('HYPERLINK'))!;
    expect(row.split('|').length).toBe(10); // 8 columns, nothing from a name adds one
    expect(md).not.toContain('<b>');
  });

  it('the HTML embeds its data so no name can close the script element', () => {
    const html = renderAccessReviewHtml({
      generatedAt: '2026-12-02T10:00:00.000Z',
      source: 'config',
      assignments: [{ principalType: 'GROUP', principalName: '</script><script>alert(1)</script>', accountId: '222222222222', permissionSetName: 'Admin', source }],
      memberships: [],
      users: [],
      groups: [],
      organization,
      permissionSets: [admin],
      classify,
    });
    expect(html.match(/<\/script>/g)!.length).toBe(2);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('the compact matrix holds assignments and memberships, not expanded grants', () => {
    const m = compactMatrix({
      generatedAt: 'x',
      source: 'config',
      assignments: [{ principalType: 'GROUP', principalName: 'ops', accountId: '222222222222', permissionSetName: 'Admin' }],
      memberships: Array.from({ length: 50 }, (_, i) => ({ groupName: 'ops', userName: `u${i}` })),
      users: [],
      groups: ['ops'],
      organization,
      permissionSets: [admin],
      classify,
    });
    expect(m.assignments).toEqual([1, 0, 0, 0, 0]);
    expect(m.users).toHaveLength(50);
    expect(m.permissionSets).toEqual([['Admin', 0, expect.stringContaining('AdministratorAccess')]]);
  });
});
