import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';

// Every hostile input of issues 8 and 13 is a config directory under test/fixtures/hostile/,
// with an expect.json naming the rule and the place (relative file:line:col) it must be rejected
// with. Each is loaded by the built loader in a child process (a hang or a blow-up stays there):
// rejected, located, in under 1 s and growing the process by under 64 MiB; and `validate` on it
// exits 1 with the located error and nothing of a file outside the config directory.

const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'hostile');
const MEASURE = path.join(repoRoot, 'test', 'config', 'hostile', 'measure-load.mjs');

interface Expectation {
  readonly class: string;
  readonly rule: string;
  readonly at: string;
  /** A FIFO to create (git cannot carry one): the fixture is copied to a temp dir first. */
  readonly fifo?: string;
  /** The only rules allowed in the output (others would be consequences). */
  readonly only?: readonly string[];
}

const cases = readdirSync(FIXTURES)
  .filter((name) => existsSync(path.join(FIXTURES, name, 'expect.json')))
  .sort()
  .map((name) => ({ name, expect: JSON.parse(readFileSync(path.join(FIXTURES, name, 'expect.json'), 'utf8')) as Expectation }));

const temps: (() => void)[] = [];
afterAll(() => temps.forEach((cleanup) => cleanup()));

/** The directory to load: the fixture itself, or a temp copy holding the FIFO. */
function configDir(name: string, expectation: Expectation): string {
  const dir = path.join(FIXTURES, name);
  if (expectation.fifo === undefined) return dir;
  const temp = tempDir('gatehouse-hostile-');
  temps.push(temp.cleanup);
  cpSync(dir, temp.dir, { recursive: true, verbatimSymlinks: true });
  const made = spawnSync('mkfifo', [path.join(temp.dir, expectation.fifo)]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
  return temp.dir;
}

const measured: string[] = [];
afterAll(() => {
  if (measured.length > 0) console.log(`hostile fixtures (ms, MiB grown):\n${measured.join('\n')}`);
});

describe('hostile fixtures are rejected with a located error, fast and small', () => {
  it('has a fixture for every class of issues 8 and 13', () => {
    expect(new Set(cases.map((c) => c.expect.class))).toEqual(
      new Set([
        'special files',
        'outside the config directory',
        'alias amplification',
        'deep nesting',
        'line breaks',
        'lone surrogates',
        'escaped forbidden keys',
        'control and format characters',
        'look-alikes',
        'store limits',
        'inline policy JSON',
        'line breaks and encoding',
        'impossible instants',
        'syntax error first',
      ]),
    );
  });

  for (const { name, expect: expectation } of cases) {
    it(`${name}: ${expectation.rule} at ${expectation.at}`, () => {
      const dir = configDir(name, expectation);
      const child = spawnSync(process.execPath, [MEASURE, dir], { encoding: 'utf8', timeout: 10_000, maxBuffer: 64 * 1024 * 1024 });
      expect(child.error, 'the loader did not finish within 10 s').toBeUndefined();
      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      const result = JSON.parse(child.stdout) as { ms: number; grownMiB: number; valid: boolean; diagnostics: { rule: string; text: string; located: boolean }[] };
      measured.push(`${name}\t${result.ms.toFixed(0)}\t${result.grownMiB.toFixed(1)}`);
      expect(result.valid).toBe(false);
      const wanted = `${path.join(dir, expectation.at)}: error [${expectation.rule}] `;
      expect(result.diagnostics.map((d) => d.text)).toContainEqual(expect.stringContaining(wanted));
      for (const d of result.diagnostics) expect(d.located, d.text).toBe(true);
      if (expectation.only) for (const d of result.diagnostics) expect(expectation.only, d.text).toContain(d.rule.replace(/^warning:/, ''));
      expect(result.ms).toBeLessThan(1000);
      expect(result.grownMiB).toBeLessThan(64);

      const cli = gatehouse(['validate', '--config', dir]);
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain(wanted);
      expect(`${cli.stdout}${cli.stderr}`).not.toMatch(/SECRET-MUST-NOT-BE-SHOWN|\n\s+at |RangeError|TypeError|Maximum call stack/);
    });
  }
});
