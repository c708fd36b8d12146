import { UserError } from '../diagnostics/errors.js';
import { actionOf } from '../diff/change.js';
import type { LiveState } from '../model/live.js';
import { escapeMarkdown, markdownCode, markdownCodeBlock } from '../output/escape-markdown.js';
import { GITHUB_COMMENT_LIMIT } from '../output/markdown-budget.js';
import { plural } from '../output/plural.js';
import { describeChange } from '../plan/describe-change.js';
import { changesDigest } from '../plan/fingerprints.js';
import { planChanges, type Plan } from '../plan/plan.js';
import { addComment, findBotComments, mergedPullRequestFor, updateComment, type MergedPullRequest, type PullRequestComment } from '../github/pull-request-comments.js';
import { readActionsEnv, requireGitHubTarget, runUrl } from './actions-env.js';
import { clientFor, configDirOf, instanceOf, repoOf } from './github-plan.js';
import { ANY_INSTANCE, changeId, NO_PLAN_LINE, parseReviewedPlan, planCommentMarker, withOutcome, type ReviewedPlan } from './plan-comment.js';

// `apply --github` on push to main applies exactly what the pull request's plan comment showed.
// It finds the pull request merged as GITHUB_SHA, reads the digest of the reviewed changes from
// the sticky comment, and compares it with the fresh plan before anything is written: when they
// differ (the live state moved, another merge changed the config, the plan job never ran on the
// last push) it refuses, changes nothing, and says on the pull request what differs. Then the
// comment records the outcome: applied at which commit, by which run.

export interface ApplyOutcome {
  readonly status: string;
  readonly message?: string;
  readonly applied?: number;
}

export interface ReviewGate {
  /** Undefined when the fresh plan's changes are the reviewed ones; else why not (the pull request has been told). */
  check(fresh: Plan, live: LiveState): Promise<string | undefined>;
  /** The outcome in the plan comment (nothing after a refusal check() already reported). */
  record(outcome: ApplyOutcome): Promise<void>;
}

export async function githubReviewGate(configDir: string): Promise<ReviewGate> {
  const env = readActionsEnv();
  const target = requireGitHubTarget(env, 'apply', 'pull-requests: write');
  if (!env.sha) throw new UserError('apply --github needs GITHUB_SHA, the commit pushed to the main branch; it is set in every GitHub Actions job');
  const sha = env.sha;
  const client = await clientFor(target);
  const repo = repoOf(target);
  const pr = await mergedPullRequestFor(client, repo, sha);
  const run = runUrl(env);
  const runText = run ? `[workflow run ${env.runId}](${run})` : 'a run outside GitHub Actions';
  const config = configDirOf(configDir, env);
  let comment: PullRequestComment | undefined;
  let reported = false;

  const tell = async (pullRequest: MergedPullRequest, outcome: string) => {
    if (!comment) return;
    const body = withOutcome(comment.body, outcome, GITHUB_COMMENT_LIMIT);
    await updateComment(client, repo, comment.id, body);
    comment = { ...comment, body };
    process.stderr.write(`GitHub: recorded the outcome in the plan comment of pull request #${pullRequest.number} (${comment.url}).\n`);
  };

  return {
    async check(fresh, live) {
      if (!pr) {
        reported = true;
        return `no merged pull request lists commit ${sha.slice(0, 12)} (GET /repos/${target.owner}/${target.repo}/commits/${sha.slice(0, 12)}/pulls): with --github only changes reviewed on a pull request are applied`;
      }
      const instance = instanceOf(fresh, live);
      // One listing of the pull request's comments (a long review thread is many pages): this
      // instance's comment, else the placeholder posted when no plan could be made.
      const exact = planCommentMarker(config, instance);
      const placeholder = planCommentMarker(config, ANY_INSTANCE);
      const found = await findBotComments(client, repo, pr.number, (line) => line === exact || line === placeholder);
      comment = found.find((c) => c.body.split('\n', 1)[0] === exact) ?? found[0];
      const noPlan = comment !== undefined && comment.body.split('\n').includes(NO_PLAN_LINE);
      const reviewed = comment && !noPlan ? parseReviewedPlan(comment.body) : undefined;
      const freshDigest = changesDigest(fresh.waves);
      if (reviewed && reviewed.changesDigest === freshDigest) return undefined;
      reported = true;
      const why = !comment
        ? `pull request #${pr.number} has no Gatehouse plan comment for config ${config} and instance ${instance}: nothing was reviewed`
        : noPlan
          ? `the plan comment on pull request #${pr.number} shows no plan, only why apply was blocked (the config had errors or the plan failed at its last commit): nothing was reviewed`
          : !reviewed
          ? `the plan comment on pull request #${pr.number} carries no readable digest of the reviewed changes`
          : `the changes planned now at commit ${sha.slice(0, 12)} differ from the ones reviewed on pull request #${pr.number}${reviewed.commit ? ` (at ${reviewed.commit.slice(0, 12)})` : ''}`;
      const difference = reviewed ? differenceMarkdown(reviewed, fresh) : [];
      const body = [
        '### ⛔ Gatehouse did not apply this pull request',
        '',
        `${escapeMarkdown(why)}. Nothing was changed.`,
        '',
        ...difference,
        'Re-run the plan (a new commit, or re-run the plan workflow) so the comment shows what would be applied now, review it, and merge again or re-run the apply workflow.',
        '',
        `<sub>Refused at commit ${markdownCode(sha.slice(0, 12))} by ${runText}.</sub>`,
      ].join('\n');
      const url = await addComment(client, repo, pr.number, body.length <= GITHUB_COMMENT_LIMIT ? body : `${body.slice(0, GITHUB_COMMENT_LIMIT - 2)}\n…`);
      await tell(pr, `> [!CAUTION]\n> **Not applied** at commit ${markdownCode(sha.slice(0, 12))} by ${runText}: the changes differ from this plan. [What differs](${url}).`);
      return `${why}; the difference is on the pull request (${url})`;
    },
    async record(outcome) {
      if (reported || !pr || !comment) return;
      await tell(pr, outcomeMarkdown(outcome, sha, runText));
    },
  };
}

function outcomeMarkdown(outcome: ApplyOutcome, sha: string, runText: string): string {
  const at = `at commit ${markdownCode(sha.slice(0, 12))} by ${runText}`;
  switch (outcome.status) {
    case 'applied':
      return `> [!NOTE]\n> ✅ **Applied** ${at}${outcome.applied !== undefined ? `: ${plural(outcome.applied, 'change')}` : ''}.`;
    case 'no-changes':
      return `> [!NOTE]\n> ✅ **Nothing to apply** ${at}: the live state already matched.`;
    default:
      return `> [!WARNING]\n> **Apply ${escapeMarkdown(outcome.status)}** ${at}${outcome.message ? `: ${escapeMarkdown(outcome.message.split('\n')[0]!)}` : ''}. See the run's log.`;
  }
}

/** What differs, in the plan's words: changes only in the fresh plan, and how many reviewed ones are gone. */
function differenceMarkdown(reviewed: ReviewedPlan, fresh: Plan): string[] {
  const s = (x: ReviewedPlan['summary']) => `${x.add} to add, ${x.change} to change, ${x.destroy} to destroy`;
  const out = [`| | changes | digest |`, `|---|---|---|`, `| reviewed | ${s(reviewed.summary)} | ${markdownCode(reviewed.changesDigest.slice(0, 16))} |`, `| now | ${s(fresh.summary)} | ${markdownCode(changesDigest(fresh.waves).slice(0, 16))} |`, ''];
  if (!reviewed.changes) return [...out, 'The reviewed plan was too large to list its changes one by one.', ''];
  const reviewedIds = new Set(reviewed.changes);
  const changes = planChanges(fresh);
  const freshIds = new Set(changes.map(changeId));
  const added = changes.filter((c) => !reviewedIds.has(changeId(c)));
  const gone = reviewed.changes.filter((id) => !freshIds.has(id)).length;
  if (added.length > 0) {
    const sign = { create: '+', update: '!', delete: '-' } as const;
    const lines = added.slice(0, 50).map((c) => `${sign[actionOf(c)]} ${describeChange(c, fresh.accountNames).title}`);
    if (added.length > 50) lines.push(`… and ${added.length - 50} more`);
    out.push(`**Not reviewed** (${plural(added.length, 'change')} planned now that the comment did not show):`, '', ...markdownCodeBlock('diff', lines), '');
  }
  if (gone > 0) out.push(`**No longer planned:** ${plural(gone, 'reviewed change')} would not be made now (already done, or undone by a later change).`, '');
  if (added.length === 0 && gone === 0) out.push('The same changes, in another order or wave.', '');
  return out;
}
