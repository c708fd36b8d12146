import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AwsService } from '../../src/stores/aws-caller.js';
import { iamAction } from '../../src/stores/aws/iam-action.js';
import { LOCK_PARTITION, PARTITION_KEY, SORT_KEY } from '../../src/state/dynamodb-items.js';
import { repoRoot } from '../helpers/cli.js';

// docs/aws-setup.md's IAM policies against the code: every AWS operation the code can call must
// be allowed by the role that runs it, and no role may be allowed an operation the code never
// calls. The operations come from the source (an operation name of the official API models,
// reference/*.service.json, quoted in src/stores; the DynamoDB commands imported in src/state),
// mapped to IAM actions by src/stores/aws/iam-action.ts; the policies from the doc's JSON blocks.

const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'aws-setup.md'), 'utf8');

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
interface PolicyDocument {
  Statement: Statement[];
}

/** The ```json block right after `<!-- KIND: NAME -->`. */
function block(kind: 'policy' | 'trust', name: string): PolicyDocument {
  const m = new RegExp(`<!-- ${kind}: ${name} -->\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
  if (!m) throw new Error(`docs/aws-setup.md has no <!-- ${kind}: ${name} --> json block`);
  return JSON.parse(m[1]!) as PolicyDocument;
}

const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const allowed = (p: PolicyDocument): Set<string> => new Set(p.Statement.filter((s) => s.Effect === 'Allow').flatMap(actionsOf));

const MODEL_FILES: Record<AwsService, string> = { 'sso-admin': 'sso-admin', identitystore: 'identitystore', organizations: 'organizations' };
/** The repository's copy of the botocore models (reference/), as the emulator reads them. */
const referenceDir = path.join(repoRoot, 'reference');

function operationsOf(service: AwsService): Set<string> {
  const file = path.join(referenceDir, `${MODEL_FILES[service]}.service.json`);
  return new Set(Object.keys((JSON.parse(fs.readFileSync(file, 'utf8')) as { operations: Record<string, unknown> }).operations));
}

/** The store code that calls AWS (not the engine, the emulator or the SQLite store, which answer calls). */
function storeSources(): string[] {
  const dirs = [path.join(repoRoot, 'src', 'stores'), path.join(repoRoot, 'src', 'stores', 'aws')];
  return dirs.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.ts')).map((f) => path.join(d, f)));
}

const SERVICES: readonly AwsService[] = ['sso-admin', 'identitystore', 'organizations'];

/**
 * IAM actions of every quoted operation name in the store code. An operation two services share
 * (ListTagsForResource) belongs to the service named right before it in the call, else to the
 * only one of them the file names.
 */
function codeActions(): { actions: Set<string>; unresolved: string[] } {
  const models = new Map(SERVICES.map((s) => [s, operationsOf(s)]));
  const actions = new Set<string>();
  const unresolved: string[] = [];
  for (const file of storeSources()) {
    const text = fs.readFileSync(file, 'utf8');
    const named = SERVICES.filter((s) => text.includes(`'${s}'`));
    for (const m of text.matchAll(/'([A-Z][A-Za-z]+)'/g)) {
      const op = m[1]!;
      const candidates = SERVICES.filter((s) => models.get(s)!.has(op));
      if (candidates.length === 0) continue;
      const explicit = /'(sso-admin|identitystore|organizations)',\s*$/.exec(text.slice(Math.max(0, m.index - 40), m.index))?.[1] as AwsService | undefined;
      const inFile = candidates.filter((s) => named.includes(s));
      const service = explicit ?? (candidates.length === 1 ? candidates[0] : inFile.length === 1 ? inFile[0] : undefined);
      if (service) actions.add(iamAction(service, op));
      else unresolved.push(`${path.relative(repoRoot, file)}: ${op} (${candidates.join(' or ')})`);
    }
  }
  return { actions, unresolved };
}

/** The DynamoDB operations of the state backend: the SDK commands it imports. */
function stateActions(): Set<string> {
  const dir = path.join(repoRoot, 'src', 'state');
  const actions = new Set<string>();
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const imp of text.matchAll(/import\s*{([^}]*)}\s*from\s*'@aws-sdk\/client-dynamodb'/g)) {
      for (const name of imp[1]!.matchAll(/\b([A-Z][A-Za-z]+)Command\b/g)) actions.add(`dynamodb:${name[1]}`);
    }
  }
  return actions;
}

const isRead = (action: string): boolean => /^[a-z]+:(List|Describe|Get)[A-Z]/.test(action) || action === 'dynamodb:Query';

/**
 * Actions AWS authorizes together with those of the operations the code calls (Service
 * Authorization Reference, AWS IAM Identity Center, table "API operations": CreateAccountAssignment
 * also sso:AssociateProfile and sso:CreateApplicationInstance; AttachManagedPolicyToPermissionSet
 * also sso:PutPermissionsPolicy). The only grants beyond the code's own operations.
 */
const COMPANIONS = new Set(['sso:AssociateProfile', 'sso:CreateApplicationInstance', 'sso:PutPermissionsPolicy']);

describe('docs/aws-setup.md policies cover exactly what the code calls', () => {
  const { actions: store, unresolved } = codeActions();
  const state = stateActions();
  const apply = block('policy', 'apply');
  const readOnly = block('policy', 'read-only');

  it('finds the operations in the code, each with its service', () => {
    expect(unresolved).toEqual([]);
    // A sample that must be there, so an empty scan cannot pass.
    for (const a of ['sso:ListInstances', 'sso:CreateAccountAssignment', 'identitystore:CreateGroupMembership', 'organizations:ListRoots', 'sso:ListTagsForResource', 'organizations:ListTagsForResource']) {
      expect(store).toContain(a);
    }
    expect([...state].sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
  });

  it('the apply role allows every operation the code calls, and nothing more but the documented companions', () => {
    const granted = allowed(apply);
    const missing = [...store, ...state].filter((a) => !granted.has(a)).sort();
    expect(missing, 'operations the code calls that the apply policy lacks').toEqual([]);
    const extra = [...granted].filter((a) => !store.has(a) && !state.has(a) && !COMPANIONS.has(a)).sort();
    expect(extra, 'actions the apply policy grants that the code never calls').toEqual([]);
  });

  it('the read-only role allows every read the code makes and no write', () => {
    const granted = allowed(readOnly);
    // Of the table, the reading commands (plan, audit verify|log|export) only Query: GetItem
    // reads the lock and a retried put, both apply's business.
    expect(state).toContain('dynamodb:Query');
    const reads = [...[...store].filter(isRead), 'dynamodb:Query'];
    expect(reads.filter((a) => !granted.has(a)).sort(), 'reads the read-only policy lacks').toEqual([]);
    expect([...granted].filter((a) => !isRead(a)).sort(), 'writes in the read-only policy').toEqual([]);
    expect([...granted].filter((a) => !store.has(a) && !state.has(a)).sort(), 'reads the code never makes').toEqual([]);
  });

  it('keeps the table append-only for the apply role: UpdateItem and DeleteItem only on the lock item', () => {
    const statements = apply.Statement.filter((s) => actionsOf(s).some((a) => a === 'dynamodb:UpdateItem' || a === 'dynamodb:DeleteItem'));
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      expect(s.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [LOCK_PARTITION] } });
    }
    // The read-only role never writes the table.
    expect([...allowed(readOnly)].filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:Query']);
  });

  it('documents the table with the key schema the code uses', () => {
    expect(doc).toContain(`AttributeName=${PARTITION_KEY},AttributeType=S AttributeName=${SORT_KEY},AttributeType=N`);
    expect(doc).toContain(`AttributeName=${PARTITION_KEY},KeyType=HASH AttributeName=${SORT_KEY},KeyType=RANGE`);
    expect(doc).toMatch(/--deletion-protection-enabled/);
    expect(doc).toMatch(/PointInTimeRecoveryEnabled=true/);
  });
});

describe('docs/aws-setup.md trust policies match the example workflows', () => {
  const subjects = (p: PolicyDocument): string[] =>
    p.Statement.flatMap((s) => Object.values(s.Condition ?? {}).flatMap((c) => c['token.actions.githubusercontent.com:sub'] ?? [])).flat();
  const workflows = path.join(repoRoot, 'examples', 'github-actions');

  /** Per job of the examples: the role it assumes and its environment, if any. */
  function jobs(): { file: string; role: string; environment?: string; events: string }[] {
    const out: { file: string; role: string; environment?: string; events: string }[] = [];
    for (const file of fs.readdirSync(workflows).filter((f) => f.endsWith('.yml'))) {
      const text = fs.readFileSync(path.join(workflows, file), 'utf8');
      const events = /^on:\n([\s\S]*?)\n\S/m.exec(text)?.[1] ?? '';
      for (const job of text.split(/\n  (?=[a-z-]+:\n    runs-on:)/).slice(1)) {
        const role = /role-to-assume: arn:aws:iam::\d+:role\/(\S+)/.exec(job)?.[1];
        const environment = /^    environment: (\S+)/m.exec(job)?.[1];
        if (role) out.push({ file, role, ...(environment ? { environment } : {}), events });
      }
    }
    return out;
  }

  it('the apply role trusts only its environment; a branch-only trust would reject those jobs', () => {
    const trusted = subjects(block('trust', 'apply'));
    expect(trusted).toEqual(['repo:OWNER/REPO:environment:identity-center']);
    const applyJobs = jobs().filter((j) => j.role === 'gatehouse-apply');
    expect(applyJobs.length).toBeGreaterThanOrEqual(2);
    for (const j of applyJobs) expect(trusted, `${j.file}`).toContain(`repo:OWNER/REPO:environment:${j.environment}`);
  });

  it('the read-only role trusts pull requests and the default branch, where its jobs run without an environment', () => {
    const trusted = subjects(block('trust', 'read-only'));
    expect(trusted).toContain('repo:OWNER/REPO:pull_request');
    const readJobs = jobs().filter((j) => j.role === 'gatehouse-read-only');
    expect(readJobs.length).toBeGreaterThanOrEqual(2);
    for (const j of readJobs) {
      expect(j.environment, `${j.file} runs the read-only role in an environment: its sub would be environment:…`).toBeUndefined();
      const sub = /pull_request:/.test(j.events) ? 'repo:OWNER/REPO:pull_request' : 'repo:OWNER/REPO:ref:refs/heads/main';
      expect(trusted, j.file).toContain(sub);
    }
  });
});
