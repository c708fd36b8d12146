#!/usr/bin/env node
// Generates src/model/generated/*.ts from schemas/*.schema.json (json-schema-to-typescript).
//   node scripts/gen-types.mjs                 write the files
//   node scripts/gen-types.mjs --check [--out DIR]   exit 1 when the files in DIR are stale
// The schemas are the single source of truth for the file format; the types follow them.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, 'schemas');
const SCHEMAS = ['gatehouse', 'config', 'organization'];

const banner = (name) =>
  `// Generated from schemas/${name}.schema.json by scripts/gen-types.mjs (npm run gen). Do not edit.\n` +
  `/* eslint-disable */`;

export async function generate() {
  const out = new Map();
  for (const name of SCHEMAS) {
    const schema = JSON.parse(await readFile(join(schemaDir, `${name}.schema.json`), 'utf8'));
    const ts = await compile(schema, schema.title, {
      cwd: schemaDir,
      bannerComment: banner(name),
      additionalProperties: false,
      format: true,
      style: { singleQuote: true, printWidth: 110 },
      unreachableDefinitions: false,
    });
    out.set(`${name}.ts`, ts);
  }
  return out;
}

async function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const outIdx = args.indexOf('--out');
  const outDir = outIdx >= 0 ? resolve(args[outIdx + 1]) : join(root, 'src/model/generated');
  const files = await generate();
  if (check) {
    const stale = [];
    for (const [file, text] of files) {
      const current = await readFile(join(outDir, file), 'utf8').catch(() => undefined);
      if (current !== text) stale.push(file);
    }
    if (stale.length > 0) {
      process.stderr.write(`stale generated types: ${stale.join(', ')}; run npm run gen\n`);
      process.exit(1);
    }
    process.stdout.write('generated types are up to date\n');
    return;
  }
  await mkdir(outDir, { recursive: true });
  for (const [file, text] of files) await writeFile(join(outDir, file), text);
  process.stdout.write(`wrote ${[...files.keys()].join(', ')} to ${outDir}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
