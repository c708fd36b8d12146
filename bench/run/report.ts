import type { Manifest } from '../gen/manifest.js';
import type { Samples } from './timing.js';

export interface StageResult {
  readonly medianMs: number;
  readonly samplesMs: readonly number[];
}

export interface EmulatorResult {
  readonly tps: number;
  readonly latencyMs: number;
  /** API calls a no-op plan made through the AWS store, by `service:Operation`. */
  readonly noopPlanCalls: Readonly<Record<string, number>>;
  readonly noopPlanCallTotal: number;
  /** One ListAccountAssignments per expanded assignment: the naive way to read them. */
  readonly naiveListCalls: number;
  readonly applySubset: { readonly changes: number; readonly seconds: number; readonly callsPerSecond: number; readonly fractionOfTps: number };
}

export interface BenchResults {
  readonly size: Manifest['size'];
  readonly seed: number;
  readonly runs: number;
  readonly machine: { readonly node: string; readonly cpus: number; readonly platform: string };
  readonly data: Manifest['counts'] & { readonly files: number; readonly bytes: number };
  readonly stages: Readonly<Record<string, StageResult>>;
  readonly plans: Readonly<Record<string, number>>;
  readonly peakRssMiB: number;
  readonly ratios: Readonly<Record<string, number>>;
  readonly emulator?: EmulatorResult;
  /** Parts not measured, and why. */
  readonly notes: readonly string[];
}

export function stageResults(samples: Samples): Record<string, StageResult> {
  const out: Record<string, StageResult> = {};
  for (const stage of samples.stages()) {
    out[stage] = { medianMs: round(samples.median(stage)), samplesMs: samples.of(stage).map(round) };
  }
  return out;
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);

export function renderTable(results: BenchResults): string {
  const lines: string[] = [];
  const d = results.data;
  lines.push(
    `Gatehouse benchmark ${results.size} (seed ${results.seed}, median of ${results.runs} run${results.runs === 1 ? '' : 's'}, node ${results.machine.node}, ${results.machine.cpus} CPUs)`,
    `  ${d.users} users, ${d.groups} groups, ${d.memberships} memberships, ${d.accounts} accounts, ${d.permissionSets} permission sets, ` +
      `${d.assignmentRules} rules → ${d.expandedAssignments} assignments; ${d.files} files, ${(d.bytes / 1024 / 1024).toFixed(1)} MiB`,
    '',
  );
  const width = Math.max(...Object.keys(results.stages).map((s) => s.length), 5);
  lines.push(`  ${'stage'.padEnd(width)}  ${'median'.padStart(9)}  samples`);
  for (const [stage, r] of Object.entries(results.stages)) {
    lines.push(`  ${stage.padEnd(width)}  ${fmtMs(r.medianMs).padStart(9)}  ${r.samplesMs.map(fmtMs).join(', ')}`);
  }
  lines.push('');
  for (const [name, value] of Object.entries(results.plans)) lines.push(`  ${name}: ${value}`);
  lines.push(`  peak RSS: ${results.peakRssMiB} MiB`);
  for (const [name, value] of Object.entries(results.ratios)) lines.push(`  ${name}: ${value}`);
  const e = results.emulator;
  if (e) {
    lines.push('', `  emulator (--tps ${e.tps}, --latency ${e.latencyMs} ms):`);
    lines.push(`    no-op plan: ${e.noopPlanCallTotal} API calls vs ${e.naiveListCalls} with one ListAccountAssignments per assignment`);
    for (const [op, n] of Object.entries(e.noopPlanCalls)) lines.push(`      ${op}: ${n}`);
    const a = e.applySubset;
    lines.push(`    apply of ${a.changes} changes: ${a.seconds} s, ${a.callsPerSecond} calls/s = ${round(a.fractionOfTps * 100)}% of --tps`);
  }
  for (const note of results.notes) lines.push(`  note: ${note}`);
  return `${lines.join('\n')}\n`;
}
