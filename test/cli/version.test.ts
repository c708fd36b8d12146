// `gatehouse --version` and the SARIF tool version are package.json's version, read from the
// installed package (not the working directory's package.json): through bin/, straight from
// dist/, through a symlinked bin as `npm install -g` makes, and from a copy of the package whose
// package.json says another version (which a hard-coded version cannot pass).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, gatehouse, repoRoot, tempDir } from '../helpers/cli.js';

const tmp = tempDir('gatehouse-version-');
afterAll(() => tmp.cleanup());
const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const node = (script: string, args: string[], cwd: string) => spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('gatehouse --version', () => {
  it('is package.json\'s, through bin/ and from dist/, whatever the working directory holds', () => {
    // A working directory with a package.json of its own, as a user's repository has.
    writeFileSync(path.join(tmp.dir, 'package.json'), JSON.stringify({ name: 'someone-else', version: '7.7.7' }));
    const bin = node(cliPath, ['--version'], tmp.dir);
    expect(bin.status, bin.stderr).toBe(0);
    expect(bin.stdout).toBe(`${version}\n`);
    const dist = node(path.join(repoRoot, 'dist', 'src', 'cli', 'main.js'), ['--version'], tmp.dir);
    expect(dist.stdout).toBe(`${version}\n`);
    const link = path.join(tmp.dir, 'gatehouse');
    symlinkSync(cliPath, link);
    expect(node(link, ['--version'], tmp.dir).stdout).toBe(`${version}\n`);
  });

  it('follows the installed package: a copy whose package.json says 9.8.7 says 9.8.7, in --version and in SARIF', () => {
    const pkg = path.join(tmp.dir, 'installed', 'gatehouse-identity-center');
    mkdirSync(pkg, { recursive: true });
    cpSync(path.join(repoRoot, 'bin'), path.join(pkg, 'bin'), { recursive: true });
    cpSync(path.join(repoRoot, 'dist'), path.join(pkg, 'dist'), { recursive: true });
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(pkg, 'node_modules'));
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ ...manifest, version: '9.8.7' }));
    const r = node(path.join(pkg, 'bin', 'gatehouse.js'), ['--version'], tmp.dir);
    expect(r.stdout, r.stderr).toBe('9.8.7\n');
    const sarif = path.join(tmp.dir, 'out.sarif');
    const v = node(path.join(pkg, 'bin', 'gatehouse.js'), ['validate', '--config', path.join(repoRoot, 'examples', 'acme'), '--sarif', sarif], tmp.dir);
    expect(v.status, v.stderr).toBe(0);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].tool.driver.semanticVersion).toBe('9.8.7');
  });

  it('is the SARIF tool version of the CLI as built', () => {
    const sarif = path.join(tmp.dir, 'acme.sarif');
    const r = gatehouse(['validate', '--config', 'examples/acme', '--sarif', sarif]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].tool.driver.semanticVersion).toBe(version);
  });
});
