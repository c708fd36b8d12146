import { UserError } from '../diagnostics/errors.js';
import type { IssueTracker, TrackedIssue } from '../drift/sync-drift-issue.js';
import { githubCall, githubClient, githubError } from './github-client.js';

// The GitHub edge of `drift --github` / `--github-issue` (the rest of drift is pure): the
// IssueTracker port over the REST API, with the shared client (retries, rate limits) and errors
// that name the permission the token lacks. GitHub Enterprise and tests point it elsewhere.

export interface GitHubIssueTrackerOptions {
  /** `owner/repo`. */
  readonly repository: string;
  readonly token: string;
  /** e.g. https://github.example.com/api/v3; default https://api.github.com. */
  readonly baseUrl?: string;
}

const ISSUES_WRITE = 'issues: write';

export function githubIssueTracker(options: GitHubIssueTrackerOptions): IssueTracker {
  const [owner, repo, ...rest] = options.repository.split('/');
  if (!owner || !repo || rest.length > 0) throw new UserError(`--github-issue ${options.repository}: use OWNER/REPO`);
  const connecting = githubClient({ token: options.token, userAgent: 'gatehouse-drift', ...(options.baseUrl ? { apiUrl: options.baseUrl } : {}) });
  return {
    async openIssues(label) {
      const octokit = await connecting;
      const issues = await githubCall(`list the open issues labelled ${label}`, 'issues: read', () =>
        octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, labels: label, state: 'open', sort: 'created', direction: 'asc', per_page: 100 }),
      );
      // The issues API also lists pull requests.
      return issues
        .filter((i) => !i.pull_request)
        .map((i): TrackedIssue => ({ number: i.number, title: i.title, body: i.body ?? '' }));
    },
    async createIssue(issue) {
      const octokit = await connecting;
      const { data } = await githubCall('open the drift issue', ISSUES_WRITE, () =>
        octokit.rest.issues.create({ owner, repo, title: issue.title, body: issue.body, labels: [...issue.labels] }),
      );
      return data.number;
    },
    async updateIssue(number, issue) {
      const octokit = await connecting;
      await githubCall(`update drift issue #${number}`, ISSUES_WRITE, () => octokit.rest.issues.update({ owner, repo, issue_number: number, title: issue.title, body: issue.body }));
    },
    async closeIssue(number, comment) {
      const octokit = await connecting;
      await githubCall(`comment on drift issue #${number}`, ISSUES_WRITE, () => octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: comment }));
      await githubCall(`close drift issue #${number}`, ISSUES_WRITE, () => octokit.rest.issues.update({ owner, repo, issue_number: number, state: 'closed', state_reason: 'completed' }));
    },
    async ensureLabel(label) {
      const octokit = await connecting;
      try {
        await octokit.rest.issues.getLabel({ owner, repo, name: label });
        return;
      } catch (err) {
        if ((err as { status?: number }).status !== 404) throw githubError(err, `read the label ${label}`, 'issues: read');
      }
      await githubCall(`create the label ${label}`, ISSUES_WRITE, () =>
        octokit.rest.issues.createLabel({ owner, repo, name: label, color: 'b60205', description: 'Live IAM Identity Center differs from the config (kept up to date by Gatehouse)' }),
      );
    },
  };
}
