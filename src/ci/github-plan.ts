import { readFileSync } from 'node:fs';
import path from 'node:path';
import { privilegeModel } from '../datasets/privilege-data.js';
import { UserError } from '../diagnostics/errors.js';
import type { Account } from '../model/entities.js';
import type { LiveState } from '../model/live.js';
import { GITHUB_COMMENT_LIMIT, type WholeText } from '../output/markdown-budget.js';
import { appendJobSummary, fitJobSummary, jobSummaryRoom } from './job-summary.js';
import { planChanges, type Plan } from '../plan/plan.js';
import { githubClient } from '../github/github-client.js';
import { findBotComments, updateComment, upsertStickyComment, type Repo } from '../github/pull-request-comments.js';
import { readActionsEnv, requireGitHubTarget, runUrl, type ActionsEnv, type GitHubTarget } from './actions-env.js';
import { planAccessDiff } from './plan-access-diff.js';
import { renderBlockedComment, type NoPlan } from './blocked-comment.js';
import { ANY_INSTANCE, instanceOfMarker, isPlanMarkerOf, planCommentMarker, renderPlanComment, renderPlanCommentParts } from './plan-comment.js';
import { repositoryPath } from './workflow-commands.js';
import { wholeMarkdownCommand, type InputFlags } from '../cli/whole-markdown-command.js';

// `plan --github`: the plan as one sticky comment on the pull request, and in full (up to 1 MiB)
// in the job summary, which the comment points to when it had to cut.

export interface PullRequestEvent {
  readonly number: number;
  /** The pull request's head commit: what the reviewer sees (GITHUB_SHA is a merge preview). */
  readonly headSha?: string;
  /** The base branch's commit the pull request was compared with. */
  readonly baseSha?: string;
}

/** The pull request of a `pull_request` event payload, if the run has one. */
export function pullRequestOf(env: ActionsEnv): PullRequestEvent | undefined {
  if (!env.eventPath) return undefined;
  let event: { pull_request?: { number?: unknown; head?: { sha?: unknown }; base?: { sha?: unknown } } };
  try {
    event = JSON.parse(readFileSync(env.eventPath, 'utf8'));
  } catch (err) {
    throw new UserError(`cannot read the event payload GITHUB_EVENT_PATH=${env.eventPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const pr = event.pull_request;
  if (!pr || typeof pr.number !== 'number') return undefined;
  return {
    number: pr.number,
    ...(typeof pr.head?.sha === 'string' ? { headSha: pr.head.sha } : {}),
    ...(typeof pr.base?.sha === 'string' && /^[0-9a-f]{7,64}$/.test(pr.base.sha) ? { baseSha: pr.base.sha } : {}),
  };
}

/** The config directory as the repository names it (the marker must read the same on every runner). */
export function configDirOf(configDir: string, env: ActionsEnv): string {
  const resolved = path.resolve(configDir);
  if (resolved === path.resolve(env.workspace)) return '.';
  return repositoryPath(configDir, { workspace: env.workspace, cwd: process.cwd() }) ?? configDir;
}

/** Which Identity Center instance: the ARN the store reports, else the store kind. */
export const instanceOf = (plan: Plan, live: LiveState): string => live.instanceArn || plan.target?.instanceArn || plan.target?.store.split(':')[0] || 'none';

export interface GitHubPlanPublisher {
  /** Comments on the pull request; returns where the whole plan is when the job summary got it. */
  publish(plan: Plan, live: LiveState): Promise<WholeText | undefined>;
  /**
   * There is no plan for this commit (the config has errors, or planning failed): every plan
   * comment of the config says apply is blocked, and why, instead of showing an older plan.
   * Does nothing once publish() was called (its own failure is not a reason to try again).
   */
  publishNoPlan(noPlan: NoPlan): Promise<void>;
}

/** Checks the environment first (a misconfigured job fails before any AWS call), then publishes. */
export function githubPlanPublisher(configDir_: string, input: InputFlags): GitHubPlanPublisher {
  const env = readActionsEnv();
  const pullRequest = pullRequestOf(env);
  const target = pullRequest ? requireGitHubTarget(env, 'plan', 'pull-requests: write') : undefined;
  let attempted = false;
  return {
    async publish(plan, live) {
      attempted = true;
      const accounts = new Map<string, Account>(live.organization.accounts.map((a) => [a.id, a]));
      const access = planAccessDiff(privilegeModel(), live, planChanges(plan));
      const base = {
        plan,
        configDir: configDirOf(configDir_, env),
        instance: instanceOf(plan, live),
        access,
        accounts,
        ...(pullRequest?.headSha ?? env.sha ? { commit: pullRequest?.headSha ?? env.sha } : {}),
        ...(runUrl(env) ? { runUrl: runUrl(env)! } : {}),
      };
      // Where the job summary itself points when even 1 MiB does not hold everything: the
      // commands that print the plan and the pull request's access diff whole.
      const everything: WholeText = { where: 'command', command: wholeMarkdownCommand('plan', input) };
      const { state: _state, ...accessInput } = input; // access reads no shared state
      // The pull request's access diff is the configs' at its base and head (when the live state
      // matches the base); without a pull request no command prints it.
      const everyGrant: WholeText = pullRequest?.baseSha
        ? { where: 'command', command: wholeMarkdownCommand('access', accessInput, ['--base', pullRequest.baseSha]) }
        : { where: 'nowhere' };
      // The comment (and stdout) point to the job summary for what it holds whole, else on to
      // where the job summary itself points.
      let inSummary: { plan: WholeText; access: WholeText; planWhole: boolean } = { plan: everything, access: everyGrant, planWhole: false };
      if (env.stepSummary) {
        let rendered = { accessWhole: false, planWhole: false };
        const text = fitJobSummary(jobSummaryRoom(env.stepSummary), (budget) => {
          const parts = renderPlanCommentParts({ ...base, whole: everything, wholeAccess: everyGrant, budget });
          rendered = parts;
          return withoutMarkers(parts.text);
        });
        if (text === '') rendered = { accessWhole: false, planWhole: false };
        appendJobSummary(env.stepSummary, text);
        const summary: WholeText = { where: 'job-summary', ...(runUrl(env) ? { url: runUrl(env)! } : {}) };
        inSummary = { plan: rendered.planWhole ? summary : everything, access: rendered.accessWhole ? summary : everyGrant, planWhole: rendered.planWhole };
      }
      const planInSummary = inSummary.planWhole ? inSummary.plan : undefined;
      if (!pullRequest || !target) {
        process.stderr.write('GitHub: not a pull_request event (no pull request in GITHUB_EVENT_PATH); the plan is in the job summary only.\n');
        return planInSummary;
      }
      const body = renderPlanComment({ ...base, whole: inSummary.plan, wholeAccess: inSummary.access, budget: GITHUB_COMMENT_LIMIT });
      const marker = planCommentMarker(base.configDir, base.instance);
      // A comment posted while the config did not load (instance unknown) becomes this one.
      const result = await upsertStickyComment(await clientFor(target), repoOf(target), pullRequest.number, marker, body, planCommentMarker(base.configDir, ANY_INSTANCE));
      process.stderr.write(`GitHub: plan comment ${result.action} on pull request #${pullRequest.number} (${result.url}).\n`);
      return planInSummary;
    },
    async publishNoPlan(found) {
      if (attempted) return;
      attempted = true;
      // An error's text may name a file by the runner's absolute path: the comment names it as the repository does.
      const noPlan: NoPlan = found.kind === 'failed' ? { kind: 'failed', message: withoutWorkspace(found.message, env.workspace) } : found;
      const configDir = configDirOf(configDir_, env);
      const commit = pullRequest?.headSha ?? env.sha;
      const base = { noPlan, configDir, ...(commit ? { commit } : {}), ...(runUrl(env) ? { runUrl: runUrl(env)! } : {}) };
      const everything: WholeText = { where: 'command', command: `gatehouse validate --config ${configDir}` };
      if (env.stepSummary) {
        appendJobSummary(env.stepSummary, fitJobSummary(jobSummaryRoom(env.stepSummary), (budget) => withoutMarkers(renderBlockedComment({ ...base, instance: ANY_INSTANCE, whole: everything, budget }))));
      }
      if (!pullRequest || !target) return;
      const whole: WholeText = env.stepSummary ? { where: 'job-summary', ...(runUrl(env) ? { url: runUrl(env)! } : {}) } : everything;
      const client = await clientFor(target);
      const repo = repoOf(target);
      // Every instance's comment of this config: none of their plans is of this commit.
      const existing = await findBotComments(client, repo, pullRequest.number, isPlanMarkerOf(configDir));
      const what = noPlan.kind === 'config' ? 'the config has errors' : 'the plan failed';
      if (existing.length === 0) {
        const result = await upsertStickyComment(client, repo, pullRequest.number, planCommentMarker(configDir, ANY_INSTANCE), renderBlockedComment({ ...base, instance: ANY_INSTANCE, whole, budget: GITHUB_COMMENT_LIMIT }));
        process.stderr.write(`GitHub: plan comment ${result.action} on pull request #${pullRequest.number} (${result.url}): apply is blocked, ${what}.\n`);
        return;
      }
      for (const comment of existing) {
        const instance = instanceOfMarker(comment.body.split('\n', 1)[0]!);
        const body = renderBlockedComment({ ...base, instance, whole, budget: GITHUB_COMMENT_LIMIT });
        if (body !== comment.body) await updateComment(client, repo, comment.id, body);
        process.stderr.write(`GitHub: plan comment ${body === comment.body ? 'unchanged' : 'updated'} on pull request #${pullRequest.number} (${comment.url}): apply is blocked, ${what}.\n`);
      }
    },
  };
}

export const clientFor = (target: GitHubTarget) => githubClient({ token: target.token, apiUrl: target.apiUrl, userAgent: 'gatehouse' });
export const repoOf = (target: GitHubTarget): Repo => ({ owner: target.owner, repo: target.repo });

const withoutMarkers = (text: string) => text.split('\n').filter((l) => !l.startsWith('<!-- gatehouse:')).join('\n');

/** `text` with the checkout's absolute path left out of every path that starts with it. */
export function withoutWorkspace(text: string, workspace: string): string {
  const root = path.resolve(workspace);
  if (root === path.parse(root).root) return text;
  const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The root followed by a separator, or standing alone (not the start of a longer name).
  return text.replace(new RegExp(`${escaped}(?:${path.sep === '/' ? '/' : '\\\\'}|(?![^\\s:;,'"\`)\\]]))`, 'g'), (m) => (m === root ? '.' : ''));
}
