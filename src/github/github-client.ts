import type { Octokit } from '@octokit/rest';
import { UserError } from '../diagnostics/errors.js';

// The one way Gatehouse talks to the GitHub REST API: Octokit with retries of transient failures
// (5xx, network) and GitHub's rate limits honoured (primary and secondary, as GitHub's REST
// best-practices page asks: wait for retry-after, serialise writes). GitHub Enterprise Server and
// the tests point it elsewhere with GITHUB_API_URL.

export type GitHubClient = Octokit;

export interface GitHubClientOptions {
  readonly token: string;
  /** e.g. https://github.example.com/api/v3; default https://api.github.com. */
  readonly apiUrl?: string;
  readonly userAgent?: string;
}

/** Retries after a rate limit: twice, then the error reaches the user. */
const RATE_LIMIT_RETRIES = 2;

/** Octokit is loaded on first use: only --github runs need it, and every command paid for it at start-up. */
export async function githubClient(options: GitHubClientOptions): Promise<GitHubClient> {
  const [{ Octokit }, { retry }, { throttling }] = await Promise.all([import('@octokit/rest'), import('@octokit/plugin-retry'), import('@octokit/plugin-throttling')]);
  const GatehouseOctokit = Octokit.plugin(retry, throttling);
  return new GatehouseOctokit({
    auth: options.token,
    userAgent: options.userAgent ?? 'gatehouse',
    ...(options.apiUrl ? { baseUrl: options.apiUrl } : {}),
    // Quiet: failures are reported once, by the caller, in one line.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    throttle: {
      onRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < RATE_LIMIT_RETRIES,
      onSecondaryRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < RATE_LIMIT_RETRIES,
    },
  });
}

interface RequestErrorLike {
  readonly status?: number;
  readonly message?: string;
  readonly code?: string;
  readonly response?: { readonly headers?: Record<string, string | undefined>; readonly data?: unknown };
  readonly cause?: { readonly code?: string; readonly message?: string };
}

/**
 * Runs one GitHub call; a failure becomes a one-line UserError saying what was being done and,
 * for 401/403/404, what the token lacks. `permission` is the workflow permission the call needs,
 * as written under `permissions:` (e.g. `pull-requests: write`); GitHub's own
 * x-accepted-github-permissions header, when present, is quoted too.
 */
export async function githubCall<T>(what: string, permission: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw githubError(err, what, permission);
  }
}

export function githubError(err: unknown, what: string, permission: string): UserError {
  const e = (err ?? {}) as RequestErrorLike;
  const data = e.response?.data as { message?: string } | undefined;
  const said = data?.message ?? e.message ?? String(err);
  const accepted = e.response?.headers?.['x-accepted-github-permissions'];
  const needs = `the token needs the permission "${permission}"${accepted ? ` (GitHub accepts: ${accepted})` : ''}: grant it under the job's permissions: in the workflow`;
  switch (e.status) {
    case 401:
      return new UserError(`GitHub refused the token while trying to ${what} (401 ${said}): GITHUB_TOKEN is missing, wrong or expired`);
    case 403:
      return new UserError(`GitHub refused to ${what} (403 ${said}): ${needs}`);
    case 404:
      return new UserError(`GitHub could not ${what} (404 ${said}): the repository or pull request does not exist, or ${needs}`);
    case undefined: {
      const code = e.cause?.code ?? e.code;
      return new UserError(`cannot reach the GitHub API to ${what}${code ? ` (${code})` : ''}: ${e.cause?.message ?? said}`);
    }
    default:
      return new UserError(`GitHub failed to ${what} (${e.status} ${said})`);
  }
}
