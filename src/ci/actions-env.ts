import { UserError } from '../diagnostics/errors.js';

// The standard GitHub Actions environment, read once at the edge
// (docs.github.com: "Store information in variables", default environment variables).

export interface ActionsEnv {
  readonly token?: string;
  /** `owner/repo` as GITHUB_REPOSITORY gives it. */
  readonly repository?: string;
  readonly eventPath?: string;
  readonly apiUrl: string;
  readonly serverUrl: string;
  readonly sha?: string;
  readonly stepSummary?: string;
  readonly runId?: string;
  /** The checkout, where annotation and SARIF paths start. */
  readonly workspace: string;
}

export function readActionsEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ActionsEnv {
  const value = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const token = value('GITHUB_TOKEN') ?? value('GH_TOKEN');
  const repository = value('GITHUB_REPOSITORY');
  const eventPath = value('GITHUB_EVENT_PATH');
  const sha = value('GITHUB_SHA');
  const stepSummary = value('GITHUB_STEP_SUMMARY');
  const runId = value('GITHUB_RUN_ID');
  return {
    ...(token ? { token } : {}),
    ...(repository ? { repository } : {}),
    ...(eventPath ? { eventPath } : {}),
    ...(sha ? { sha } : {}),
    ...(stepSummary ? { stepSummary } : {}),
    ...(runId ? { runId } : {}),
    apiUrl: (value('GITHUB_API_URL') ?? 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl: (value('GITHUB_SERVER_URL') ?? 'https://github.com').replace(/\/+$/, ''),
    workspace: value('GITHUB_WORKSPACE') ?? cwd,
  };
}

export interface GitHubTarget {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly apiUrl: string;
}

/**
 * What a command needs to call the API, or a one-line error naming what is missing and the
 * workflow permission the token must have (e.g. `pull-requests: write`).
 */
export function requireGitHubTarget(env: ActionsEnv, command: string, permission: string): GitHubTarget {
  if (!env.token) {
    throw new UserError(
      `${command} --github needs a token in GITHUB_TOKEN with the permission "${permission}": pass it to the step (env: GITHUB_TOKEN: \${{ github.token }}) and grant it under the job's permissions:`,
    );
  }
  if (!env.repository) throw new UserError(`${command} --github needs GITHUB_REPOSITORY (OWNER/REPO); it is set in every GitHub Actions job`);
  const [owner, repo, ...rest] = env.repository.split('/');
  if (!owner || !repo || rest.length > 0) throw new UserError(`GITHUB_REPOSITORY must be OWNER/REPO, not "${env.repository}"`);
  return { token: env.token, owner, repo, apiUrl: env.apiUrl };
}

/** The run's page, for "applied by run …" and "the whole plan is in the job summary of …". */
export function runUrl(env: ActionsEnv): string | undefined {
  return env.repository && env.runId ? `${env.serverUrl}/${env.repository}/actions/runs/${env.runId}` : undefined;
}
