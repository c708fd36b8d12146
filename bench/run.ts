import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SizeName } from './gen/model.js';
import { isSizeName, REFERENCE_NOW, SIZES } from './gen/sizes.js';
import { ensureData, writeChangedCopy } from './run/data-dir.js';
import { changeCount, emptyLive, timeLoad, timePlan, timePlannerSteps, timeRender, timeYamlBaseline } from './run/planner-stages.js';
import { renderTable, round, stageResults, type BenchResults } from './run/report.js';
import { Samples } from './run/timing.js';

// npm run bench -- --size S|M|L [--runs N] [--seed N] [--data DIR]
// Times the pipeline on a generated organisation, prints a table and writes
// bench/results/SIZE.json. See bench/README.md for what each stage measures.

interface Options {
  readonly size: SizeName;
  readonly runs: number;
  readonly seed: number;
  readonly dataDir: string;
  readonly resultsDir: string;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'S' },
      runs: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      data: { type: 'string' },
      results: { type: 'string', default: 'bench/results' },
    },
    strict: true,
  });
  const size = (values.size ?? 'S').toUpperCase();
  if (!isSizeName(size)) throw new Error(`--size must be S, M or L, not "${values.size}"`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed must be a non-negative integer');
  return { size, runs, seed, dataDir: resolve(values.data ?? `bench/data/${size}`), resultsDir: resolve(values.results ?? 'bench/results') };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const now = new Date(REFERENCE_NOW);
  const manifest = ensureData(options.dataDir, options.size, options.seed);
  const changed = writeChangedCopy(options.size, options.seed);
  const samples = new Samples();
  const plans: Record<string, number> = {};
  const notes: string[] = [];
  let yamlBytes = 0;
  try {
    for (let run = 0; run < options.runs; run++) {
      process.stderr.write(`run ${run + 1}/${options.runs}…\n`);
      yamlBytes = await timeYamlBaseline(options.dataDir, samples);
      const config = await timeLoad(options.dataDir, now, samples);
      const live = emptyLive(config.organization);
      plans['initial plan changes'] = await timePlannerSteps(config, live, now, samples);
      const plan = await timePlan(config, live, now, samples, 'plan (expand+diff+order)');
      plans['initial plan text bytes'] = await timeRender(plan, samples);
      plans['initial plan changes'] = changeCount(plan);
      const changedConfig = await timeLoad(changed.dir, now, samples, 'load + validate (1% changed)');
      void changedConfig;
    }
  } finally {
    rmSync(dirname(changed.dir), { recursive: true, force: true });
  }
  notes.push('store stages (snapshot, apply, no-op and 1% plans, emulator) need src/stores/open-store.ts and the emulator; not measured yet');

  const stages = stageResults(samples);
  const planMs = samples.median('load + validate') + samples.median('plan (expand+diff+order)') + samples.median('render text');
  const ratios: Record<string, number> = {
    'plan ÷ yaml parse': round(planMs / samples.median('yaml parse (baseline)'), 2),
  };
  const otherSize: SizeName | undefined = options.size === 'L' ? 'M' : options.size === 'M' ? 'L' : undefined;
  const otherPath = otherSize && join(options.resultsDir, `${otherSize}.json`);
  if (otherSize && otherPath && existsSync(otherPath)) {
    const other = JSON.parse(readFileSync(otherPath, 'utf8')) as BenchResults;
    const otherPlanMs = planTimeOf(other);
    const [large, medium] = options.size === 'L' ? [planMs, otherPlanMs] : [otherPlanMs, planMs];
    const [largeN, mediumN] =
      options.size === 'L'
        ? [manifest.counts.expandedAssignments, other.data.expandedAssignments]
        : [other.data.expandedAssignments, manifest.counts.expandedAssignments];
    ratios['L ÷ M plan time'] = round(large / medium, 2);
    ratios['L ÷ M expanded assignments'] = round(largeN / mediumN, 2);
  }
  const results: BenchResults = {
    size: options.size,
    seed: options.seed,
    runs: options.runs,
    machine: { node: process.version, cpus: availableParallelism(), platform: `${process.platform}-${process.arch}` },
    data: { ...manifest.counts, files: manifest.files, bytes: manifest.bytes },
    stages,
    plans: { ...plans, 'yaml bytes': yamlBytes, ...prefixed('1% change: ', changed.summary) },
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024),
    ratios,
    notes,
  };
  process.stdout.write(renderTable(results));
  mkdirSync(options.resultsDir, { recursive: true });
  writeFileSync(join(options.resultsDir, `${options.size}.json`), `${JSON.stringify(results, null, 2)}\n`);
  void SIZES;
}

/** Load + plan + render of the other size's results, for the L ÷ M ratio. */
function planTimeOf(results: BenchResults): number {
  const ms = (stage: string): number => results.stages[stage]?.medianMs ?? Number.NaN;
  return ms('load + validate') + ms('plan (expand+diff+order)') + ms('render text');
}

const prefixed = (prefix: string, record: object): Record<string, number> =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [`${prefix}${k}`, v as number]));

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
