import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateInto } from './gen/write-config.js';
import { isSizeName } from './gen/sizes.js';

// npm run bench:gen -- --size S|M|L [--seed N] [--out DIR]
// Writes a deterministic organisation as a config directory plus manifest.json.

function main(): number {
  const { values } = parseArgs({
    options: { size: { type: 'string', default: 'S' }, seed: { type: 'string', default: '1' }, out: { type: 'string' } },
    strict: true,
  });
  const size = (values.size ?? 'S').toUpperCase();
  if (!isSizeName(size)) throw new Error(`--size must be S, M or L, not "${values.size}"`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed must be an integer 0..4294967295`);
  const out = resolve(values.out ?? `bench/data/${size}`);
  const started = performance.now();
  const manifest = generateInto(size, seed, out);
  const seconds = (performance.now() - started) / 1000;
  const c = manifest.counts;
  console.log(
    `${size} (seed ${seed}) → ${out}\n` +
      `  ${manifest.files} files, ${(manifest.bytes / 1024 / 1024).toFixed(1)} MiB, in ${seconds.toFixed(2)} s\n` +
      `  ${c.users} users, ${c.groups} groups (${c.memberships} memberships), ${c.accounts} accounts (${c.activeAccounts} active), ` +
      `${c.permissionSets} permission sets, ${c.assignmentRules} assignment rules → ${c.expandedAssignments} expanded assignments`,
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`bench:gen: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
