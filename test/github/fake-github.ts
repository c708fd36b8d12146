import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback stand-in for the parts of the GitHub REST API Gatehouse calls (issues, issue
// comments, labels, the pull requests of a commit), shaped as docs.github.com/rest documents
// them. It records every request, and can refuse a route with 403 as GitHub does when the
// workflow token lacks a permission. Extends the fake of test/cli/drift.test.ts.

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: { name: string }[];
  state: string;
  pull_request?: object;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly auth: string;
}

const BOT = { login: 'github-actions[bot]', type: 'Bot' as const };

export function fakeGitHub(owner = 'acme', repo = 'infra') {
  const issues: FakeIssue[] = [];
  const comments: FakeComment[] = [];
  const labels: { name: string; color: string; description?: string }[] = [];
  const pullsOfCommit = new Map<string, { number: number; merged_at: string | null; merge_commit_sha: string; head: { sha: string } }[]>();
  const requests: RecordedRequest[] = [];
  /** `METHOD /path-regex` → the permission GitHub would name in x-accepted-github-permissions. */
  const denied: { method: string; path: RegExp; accepted: string }[] = [];
  let nextComment = 1000;
  const base = `/repos/${owner}/${repo}`;

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const method = req.method ?? 'GET';
      requests.push({ method, path: url.pathname, body, auth: req.headers.authorization ?? '' });
      const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      const deny = denied.find((d) => d.method === method && d.path.test(url.pathname));
      if (deny) {
        return send(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' }, { 'x-accepted-github-permissions': deny.accepted });
      }
      if (!url.pathname.startsWith(`${base}/`)) return send(404, { message: 'Not Found' });
      const rest = url.pathname.slice(base.length);
      let m: RegExpExecArray | null;
      const htmlUrl = (n: number, id?: number) => `https://github.example/${owner}/${repo}/issues/${n}${id ? `#issuecomment-${id}` : ''}`;
      const commentJson = (c: FakeComment) => ({ id: c.id, body: c.body, user: c.user, html_url: htmlUrl(c.issue, c.id) });

      if (rest === '/issues' && method === 'GET') {
        const label = url.searchParams.get('labels');
        const state = url.searchParams.get('state') ?? 'open';
        return send(200, issues.filter((i) => (state === 'all' || i.state === state) && (!label || i.labels.some((l) => l.name === label))));
      }
      if (rest === '/issues' && method === 'POST') {
        const created: FakeIssue = { number: issues.length + 1, title: String(body.title), body: String(body.body), labels: ((body.labels as string[]) ?? []).map((name) => ({ name })), state: 'open' };
        issues.push(created);
        return send(201, created);
      }
      if ((m = /^\/issues\/(\d+)$/.exec(rest)) && method === 'PATCH') {
        const issue = issues.find((i) => i.number === Number(m![1]));
        if (!issue) return send(404, { message: 'Not Found' });
        Object.assign(issue, body);
        return send(200, issue);
      }
      if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
        const number = Number(m[1]);
        if (method === 'GET') return send(200, comments.filter((c) => c.issue === number).map(commentJson));
        if (method === 'POST') {
          const c: FakeComment = { id: nextComment++, issue: number, body: String(body.body), user: BOT };
          comments.push(c);
          return send(201, commentJson(c));
        }
      }
      if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest)) && method === 'PATCH') {
        const c = comments.find((x) => x.id === Number(m![1]));
        if (!c) return send(404, { message: 'Not Found' });
        c.body = String(body.body);
        return send(200, commentJson(c));
      }
      if ((m = /^\/labels\/(.+)$/.exec(rest)) && method === 'GET') {
        const label = labels.find((l) => l.name === decodeURIComponent(m![1]!));
        return label ? send(200, label) : send(404, { message: 'Not Found' });
      }
      if (rest === '/labels' && method === 'POST') {
        const label = { name: String(body.name), color: String(body.color), ...(body.description ? { description: String(body.description) } : {}) };
        labels.push(label);
        return send(201, label);
      }
      if ((m = /^\/commits\/([0-9a-f]+)\/pulls$/.exec(rest)) && method === 'GET') {
        const pulls = (pullsOfCommit.get(m[1]!) ?? []).map((p) => ({ ...p, html_url: `https://github.example/${owner}/${repo}/pull/${p.number}` }));
        return send(200, pulls);
      }
      return send(404, { message: 'Not Found' });
    });
  });

  return {
    issues,
    comments,
    labels,
    requests,
    /** Requests that change something. */
    writes: () => requests.filter((r) => r.method !== 'GET'),
    commentsOn: (issue: number) => comments.filter((c) => c.issue === issue),
    /** A comment a person posts (never edited by Gatehouse, never read as the reviewed plan). */
    humanComment(issue: number, body: string) {
      comments.push({ id: nextComment++, issue, body, user: { login: 'mallory', type: 'User' } });
    },
    /** The pull request merged as `mergeSha`, from head `headSha` (GET /commits/{sha}/pulls). */
    merged(number: number, mergeSha: string, headSha: string) {
      pullsOfCommit.set(mergeSha, [{ number, merged_at: '2025-06-01T00:00:00Z', merge_commit_sha: mergeSha, head: { sha: headSha } }]);
    },
    deny(method: string, path: RegExp, accepted: string) {
      denied.push({ method, path, accepted });
    },
    allowAll: () => denied.splice(0),
    start: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
