import { Octokit } from '@octokit/rest';
import { UserError } from '../diagnostics/errors.js';
import type { IssueTracker, TrackedIssue } from '../drift/sync-drift-issue.js';

// The GitHub edge of `drift --github-issue` (the rest of drift is pure): the IssueTracker port
// over the REST API. GitHub Enterprise and tests point it elsewhere with baseUrl.

export interface GitHubIssueTrackerOptions {
  /** `owner/repo`. */
  readonly repository: string;
  readonly token: string;
  /** e.g. https://github.example.com/api/v3; default https://api.github.com. */
  readonly baseUrl?: string;
}

export function githubIssueTracker(options: GitHubIssueTrackerOptions): IssueTracker {
  const [owner, repo, ...rest] = options.repository.split('/');
  if (!owner || !repo || rest.length > 0) throw new UserError(`--github-issue ${options.repository}: use OWNER/REPO`);
  const octokit = new Octokit({
    auth: options.token,
    userAgent: 'gatehouse-drift',
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
  return {
    async openIssues(label) {
      const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
        owner,
        repo,
        labels: label,
        state: 'open',
        sort: 'created',
        direction: 'asc',
        per_page: 100,
      });
      // The issues API also lists pull requests.
      return issues
        .filter((i) => !i.pull_request)
        .map((i): TrackedIssue => ({ number: i.number, title: i.title, body: i.body ?? '' }));
    },
    async createIssue(issue) {
      const { data } = await octokit.rest.issues.create({ owner, repo, title: issue.title, body: issue.body, labels: [...issue.labels] });
      return data.number;
    },
    async updateIssue(number, issue) {
      await octokit.rest.issues.update({ owner, repo, issue_number: number, title: issue.title, body: issue.body });
    },
    async closeIssue(number, comment) {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: comment });
      await octokit.rest.issues.update({ owner, repo, issue_number: number, state: 'closed', state_reason: 'completed' });
    },
  };
}
