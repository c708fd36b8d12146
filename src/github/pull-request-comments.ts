import { githubCall, type GitHubClient } from './github-client.js';

// Comments on a pull request (the issues API: a pull request is an issue), and the merged pull
// request of a commit. A sticky comment is found by its hidden marker among the comments a bot
// wrote: a person can quote the marker, but cannot post as a bot, so no one's comment is ever
// edited, and a forged comment is never read as the reviewed plan.

export interface Repo {
  readonly owner: string;
  readonly repo: string;
}

export interface PullRequestComment {
  readonly id: number;
  readonly body: string;
  readonly url: string;
}

const PR_WRITE = 'pull-requests: write';

/** Every comment by a bot whose first line passes `matches`, oldest first. */
export async function findBotComments(client: GitHubClient, where: Repo, pullRequest: number, matches: (firstLine: string) => boolean): Promise<PullRequestComment[]> {
  const comments = await githubCall(`list the comments of pull request #${pullRequest}`, 'pull-requests: read', () =>
    client.paginate(client.rest.issues.listComments, { ...where, issue_number: pullRequest, per_page: 100 }),
  );
  return comments
    .filter((c) => c.user?.type === 'Bot' && matches((c.body ?? '').split('\n', 1)[0]!))
    .map((c) => ({ id: c.id, body: c.body ?? '', url: c.html_url }));
}

export type UpsertResult = { readonly action: 'created' | 'updated' | 'unchanged'; readonly id: number; readonly url: string };

/**
 * Edits the sticky comment in place, or creates it; `body` must start with `marker`. When no
 * comment has `marker`, one whose first line is `adopt` (a placeholder posted before the marker
 * could be known) is taken over instead of leaving it behind.
 */
export async function upsertStickyComment(client: GitHubClient, where: Repo, pullRequest: number, marker: string, body: string, adopt?: string): Promise<UpsertResult> {
  const found = await findBotComments(client, where, pullRequest, (line) => line === marker || line === adopt);
  const existing = found.find((c) => c.body.split('\n', 1)[0] === marker) ?? found[0];
  if (existing && existing.body === body) return { action: 'unchanged', id: existing.id, url: existing.url };
  if (existing) {
    await updateComment(client, where, existing.id, body);
    return { action: 'updated', id: existing.id, url: existing.url };
  }
  const { data } = await githubCall(`comment on pull request #${pullRequest}`, PR_WRITE, () =>
    client.rest.issues.createComment({ ...where, issue_number: pullRequest, body }),
  );
  return { action: 'created', id: data.id, url: data.html_url };
}

export async function updateComment(client: GitHubClient, where: Repo, id: number, body: string): Promise<void> {
  await githubCall(`update the plan comment ${id}`, PR_WRITE, () => client.rest.issues.updateComment({ ...where, comment_id: id, body }));
}

export async function addComment(client: GitHubClient, where: Repo, pullRequest: number, body: string): Promise<string> {
  const { data } = await githubCall(`comment on pull request #${pullRequest}`, PR_WRITE, () =>
    client.rest.issues.createComment({ ...where, issue_number: pullRequest, body }),
  );
  return data.html_url;
}

export interface MergedPullRequest {
  readonly number: number;
  readonly headSha: string;
  readonly url: string;
}

/**
 * The pull request merged as `sha` (GET /repos/{owner}/{repo}/commits/{sha}/pulls): a merge,
 * squash or rebase commit lists the pull request it came from.
 */
export async function mergedPullRequestFor(client: GitHubClient, where: Repo, sha: string): Promise<MergedPullRequest | undefined> {
  const { data } = await githubCall(`find the pull request merged as commit ${sha.slice(0, 12)}`, 'contents: read', () =>
    client.rest.repos.listPullRequestsAssociatedWithCommit({ ...where, commit_sha: sha, per_page: 100 }),
  );
  const merged = data.filter((p) => p.merged_at);
  const pr = merged.find((p) => p.merge_commit_sha === sha) ?? merged[0];
  return pr ? { number: pr.number, headSha: pr.head.sha, url: pr.html_url } : undefined;
}
