import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SizeName } from './gen/model.js';
import { isSizeName, REFERENCE_NOW } from './gen/sizes.js';
import { ensureData, writeChangedCopy } from './run/data-dir.js';
import { measureEmulator, type EmulatorOptions } from './run/emulator-stages.js';
import { emptyLive, timeLoad, timePlan, timePlannerSteps, timeRender, timeYamlBaseline } from './run/planner-stages.js';
import { renderTable, round, stageResults, type BenchResults, type EmulatorResult } from './run/report.js';
import { timeStoreStages } from './run/store-stages.js';
import { median, Samples } from './run/timing.js';

// npm run bench -- --size S|M|L [--runs N] [--seed N] [--data DIR] [--tps 20] [--latency 20] [--subset 200] [--no-emulator] [--planner-only]
// Times the pipeline on a generated organisation, prints a table and writes
// bench/results/SIZE.json. See bench/README.md for what each stage measures.

interface Options {
  readonly size: SizeName;
  readonly runs: number;
  readonly seed: number;
  readonly dataDir: string;
  readonly resultsDir: string;
  /** Undefined with --no-emulator or --planner-only. */
  readonly emulator?: EmulatorOptions;
  /** Skips the embedded store and the emulator (their full apply is what takes long at L). */
  readonly plannerOnly: boolean;
}

function positive(name: string, value: string | undefined, allowZero = false): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number`);
  return n;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'S' },
      runs: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      data: { type: 'string' },
      results: { type: 'string', default: 'bench/results' },
      tps: { type: 'string', default: '20' },
      latency: { type: 'string', default: '20' },
      subset: { type: 'string', default: '200' },
      'no-emulator': { type: 'boolean', default: false },
      'planner-only': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const size = (values.size ?? 'S').toUpperCase();
  if (!isSizeName(size)) throw new Error(`--size must be S, M or L, not "${values.size}"`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed must be a non-negative integer');
  const plannerOnly = values['planner-only'] === true;
  const emulator = values['no-emulator'] || plannerOnly
    ? undefined
    : { tps: positive('tps', values.tps), latencyMs: positive('latency', values.latency, true), subset: Math.floor(positive('subset', values.subset)) };
  return {
    size,
    runs,
    seed,
    dataDir: resolve(values.data ?? `bench/data/${size}`),
    resultsDir: resolve(values.results ?? 'bench/results'),
    plannerOnly,
    ...(emulator && { emulator }),
  };
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
  let emulator: EmulatorResult | undefined;
  try {
    for (let run = 0; run < options.runs; run++) {
      const progress = (step: string): boolean => process.stderr.write(`run ${run + 1}/${options.runs}: ${step}\n`);
      progress('planner');
      // Load first: it warms the yaml package's code, so the baseline is not charged for the JIT.
      const config = await timeLoad(options.dataDir, now, samples);
      yamlBytes = await timeYamlBaseline(options.dataDir, samples);
      plans['initial plan changes'] = await timePlannerSteps(config, emptyLive(config.organization), now, samples);
      // The same plan with the privilege diff (plan --format markdown, plan --out), next to the
      // one without so the two meet the same machine load, first on odd runs and second on even
      // ones: whichever runs second also pays for collecting the first one's garbage.
      const timeWithPrivilege = async () => {
        const withPrivilege = await timePlan(config, emptyLive(config.organization), now, samples, 'plan (initial) + privilege diff', true);
        plans['initial plan privilege changes'] = withPrivilege.privilege?.changes.length ?? 0;
      };
      if (run % 2 === 1) await timeWithPrivilege();
      const plan = await timePlan(config, emptyLive(config.organization), now, samples, 'plan (initial)');
      if (run % 2 === 0) await timeWithPrivilege();
      plans['initial plan text bytes'] = await timeRender(plan, samples);
      if (options.plannerOnly) continue;
      progress('embedded store');
      const stored = await timeStoreStages(config, options.dataDir, changed.dir, now, samples, plans);
      try {
        if (options.emulator && run === options.runs - 1) {
          progress('emulator');
          emulator = await measureEmulator(stored, config, now, options.emulator, manifest.counts.expandedAssignments);
        }
      } finally {
        stored.cleanup();
      }
    }
  } finally {
    rmSync(dirname(changed.dir), { recursive: true, force: true });
  }
  if (options.plannerOnly) notes.push('embedded store and emulator stages skipped (--planner-only)');
  else if (!options.emulator) notes.push('emulator stages skipped (--no-emulator)');

  const stages = stageResults(samples);
  const planMs = planTimeOf({ stages });
  const yamlMs = samples.median('yaml parse (baseline)');
  const ratios: Record<string, number> = { 'planner (load+plan+render) ÷ yaml parse': round(planMs / yamlMs, 2) };
  const withPrivilegeMs = planMs - samples.median('plan (initial)') + samples.median('plan (initial) + privilege diff');
  ratios['planner with privilege diff ÷ planner'] = round(withPrivilegeMs / planMs, 3);
  ratios['plan with privilege diff ÷ plan (paired per run)'] = round(
    median(samples.of('plan (initial) + privilege diff').map((ms, i) => ms / samples.of('plan (initial)')[i]!)),
    3,
  );
  const noopMs = samples.median('no-op plan, end to end');
  if (!Number.isNaN(noopMs)) ratios['no-op plan end to end ÷ yaml parse'] = round(noopMs / yamlMs, 2);
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
    ratios['L ÷ M planner time'] = round(large / medium, 2);
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
    ...(emulator && { emulator }),
    notes,
  };
  process.stdout.write(renderTable(results));
  mkdirSync(options.resultsDir, { recursive: true });
  writeFileSync(join(options.resultsDir, `${options.size}.json`), `${JSON.stringify(results, null, 2)}\n`);
}

/** The planner on the whole config: load + validate, buildPlan from an empty store, render. Measured in every mode. */
function planTimeOf(results: Pick<BenchResults, 'stages'>): number {
  const ms = (stage: string): number => results.stages[stage]?.medianMs ?? Number.NaN;
  return ms('load + validate') + ms('plan (initial)') + ms('render text');
}

const prefixed = (prefix: string, record: object): Record<string, number> =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [`${prefix}${k}`, v as number]));

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
