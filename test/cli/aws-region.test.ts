import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/stores/emulator/start-emulator.js';
import { ORG } from '../emulator/fixture.js';
import { observingProxy, type ObservingProxy } from '../stores/aws/loopback-proxy.js';
import { gatehouseAsync, tempDir } from '../helpers/cli.js';

// Which region and profile `--store aws` uses, seen where it matters: the region that signed
// the requests (the SigV4 credential scope, recorded by a loopback proxy in front of the
// emulator). The order is the AWS CLI's ("Configuration and credential file settings",
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html, and
// "Environment variables", cli-configure-envvars.html: AWS_REGION over AWS_DEFAULT_REGION over
// the profile's `region`), with the config's instance.region right after --region (issue 9).

let tmp: { dir: string; cleanup: () => void };
let emulator: Emulator;
let proxy: ObservingProxy;
let bare: string; // a config that names no region
let pinned: string; // instance.region: eu-west-1

// Nothing from the machine running the tests: no region, no profile, no ~/.aws.
const cleanEnv = () => ({
  HOME: path.join(tmp.dir, 'home'),
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: '',
  AWS_DEFAULT_REGION: '',
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: '',
  AWS_SHARED_CREDENTIALS_FILE: '',
  AWS_EC2_METADATA_DISABLED: 'true',
});

beforeAll(async () => {
  tmp = tempDir('gatehouse-aws-region-');
  mkdirSync(path.join(tmp.dir, 'home'));
  bare = path.join(tmp.dir, 'bare');
  pinned = path.join(tmp.dir, 'pinned');
  for (const [dir, root] of [
    [bare, 'version: 1\n'],
    [pinned, 'version: 1\ninstance: { region: eu-west-1 }\n'],
  ] as const) {
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'gatehouse.yaml'), root);
  }
  writeFileSync(
    path.join(tmp.dir, 'aws-config'),
    ['[default]', 'region = sa-east-1', '', '[profile auditor]', 'region = ap-northeast-2', 'aws_access_key_id = test', 'aws_secret_access_key = test', 'output = json', '', '[sso-session corp]', 'sso_region = us-west-2', ''].join('\n'),
  );
  emulator = await startEmulator({ dbPath: path.join(tmp.dir, 'live.db'), organization: ORG });
  proxy = await observingProxy(emulator.url);
});
afterAll(async () => {
  await proxy?.close();
  await emulator?.close();
  tmp.cleanup();
});

/** Runs `plan` through the proxy; answers the exit and the regions that signed its requests. */
async function planWith(config: string, args: string[], env: Record<string, string>) {
  const from = proxy.seen.length;
  const run = await gatehouseAsync(['plan', '--config', config, '--store', 'aws', '--endpoint-url', proxy.url, ...args], {
    cwd: tmp.dir,
    env: { ...cleanEnv(), ...env },
  }).done;
  return { ...run, regions: [...new Set(proxy.seen.slice(from).map((s) => s.region))] };
}

describe('gatehouse --store aws: the region, as the AWS CLI resolves it', () => {
  it('takes AWS_REGION when the config names none (was: us-east-1 regardless)', async () => {
    const run = await planWith(bare, [], { AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'us-west-1' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.regions).toEqual(['eu-central-1']);
  }, 60_000);

  it('takes the profile\'s region from AWS_CONFIG_FILE, after the environment', async () => {
    const run = await planWith(bare, ['--profile', 'auditor'], { AWS_CONFIG_FILE: path.join(tmp.dir, 'aws-config') });
    expect(run.code, run.stderr).toBe(0);
    expect(run.regions).toEqual(['ap-northeast-2']);
  }, 60_000);

  it('prefers instance.region to the environment, and --store aws:REGION to both', async () => {
    const fromConfig = await planWith(pinned, [], { AWS_REGION: 'eu-central-1' });
    expect(fromConfig.code, fromConfig.stderr).toBe(0);
    expect(fromConfig.regions).toEqual(['eu-west-1']);
    // `--store aws:REGION` after `--store aws` (commander keeps the last): the same as --region.
    const fromStore = await planWith(pinned, ['--store', 'aws:ap-south-1'], { AWS_REGION: 'eu-central-1' });
    expect(fromStore.code, fromStore.stderr).toBe(0);
    expect(fromStore.regions).toEqual(['ap-south-1']);
  }, 60_000);

  it('--store aws:REGION is the region for every command that reads the store (drift, access, import)', async () => {
    const run = async (args: string[]) => {
      const from = proxy.seen.length;
      const r = await gatehouseAsync([...args, '--store', 'aws:ca-central-1', '--endpoint-url', proxy.url], { cwd: tmp.dir, env: cleanEnv() }).done;
      return { ...r, regions: [...new Set(proxy.seen.slice(from).map((s) => s.region))] };
    };
    for (const args of [
      ['drift', '--config', pinned],
      ['access', '--live', '--config', pinned],
      ['import', '--out', path.join(tmp.dir, 'imported')],
    ]) {
      const r = await run(args);
      expect(r.code, `${args[0]}: ${r.stderr}`).not.toBe(1);
      expect(r.regions, args[0]).toEqual(['ca-central-1']);
    }
  }, 90_000);

  it('without any region, says where to set one (exit 1, no stack trace, nothing sent)', async () => {
    const run = await planWith(bare, [], {});
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `Error: no AWS region: pass --region, set instance.region in gatehouse.yaml, set AWS_REGION, or give profile default a region in ${path.join(tmp.dir, 'home', '.aws', 'config')}`,
    );
    expect(run.regions).toEqual([]);
  }, 60_000);
});

describe('gatehouse --store aws --profile NAME', () => {
  it('names a profile that is in neither AWS file, in one line (exit 1); was an SDK credentials error', async () => {
    const run = await planWith(bare, ['--profile', 'nosuch'], { AWS_REGION: 'eu-central-1', AWS_CONFIG_FILE: path.join(tmp.dir, 'aws-config') });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `Error: --profile nosuch: no such AWS profile in ${path.join(tmp.dir, 'aws-config')} or ${path.join(tmp.dir, 'home', '.aws', 'credentials')}`,
    );
    expect(run.regions).toEqual([]);
  }, 60_000);

  it('so does AWS_PROFILE, as the AWS CLI does', async () => {
    const run = await planWith(bare, [], { AWS_REGION: 'eu-central-1', AWS_PROFILE: 'gone' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: AWS_PROFILE gone: no such AWS profile in /);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  }, 60_000);
});
