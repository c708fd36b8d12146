// Loads one config directory with the built loader (dist/), after a warm-up, and prints, as JSON, how long it took,
// how much the process grew (max RSS over what it was after loading the modules), and the
// diagnostics. Run in a child process so a hang or an out-of-memory is the child's, not vitest's.
import { loadConfig } from '../../../dist/src/config/load-config.js';
import { formatDiagnostic } from '../../../dist/src/diagnostics/diagnostic.js';

const dir = process.argv[2];
// One-time start-up work (compiling the JSON Schemas, loading datasets) is not the hostile
// input's cost: load the example config first.
await loadConfig(new URL('../../../examples/acme', import.meta.url).pathname);
const baseline = process.resourceUsage().maxRSS;
const start = performance.now();
const result = await loadConfig(dir);
const ms = performance.now() - start;
const grownKiB = process.resourceUsage().maxRSS - baseline;
process.stdout.write(
  JSON.stringify({
    ms,
    grownMiB: grownKiB / 1024,
    valid: result.desired !== undefined,
    diagnostics: result.diagnostics.map((d) => ({ rule: d.severity === 'error' ? d.rule : `${d.severity}:${d.rule}`, text: formatDiagnostic(d), located: d.source !== undefined && d.source.line > 0 })),
  }),
);
