import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  compileSchemas,
  FILE_SCHEMAS,
  SCHEMA_KINDS,
  schemasFingerprint,
  type SchemaKind,
  type SchemaObjects,
  type SchemaValidators,
} from '../../../src/config/schema/schema-compiler.js';
import { standaloneValidatorsSource } from '../../../src/config/schema/standalone-validators-source.js';
import { loadStandaloneValidators } from '../../../src/config/schema/standalone-validators.js';
import { parseYaml } from '../../../src/config/yaml/parse-yaml.js';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

// The generated module resolves ajv's run-time helpers from where it lies, as under dist/.
const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-standalone-'));
symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let written = 0;
function writeModule(source: string): string {
  const file = path.join(dir, `validators-${written++}.js`);
  writeFileSync(file, source);
  return file;
}

async function precompiled(schemas: SchemaObjects = FILE_SCHEMAS): Promise<SchemaValidators> {
  const validators = await loadStandaloneValidators(writeModule(standaloneValidatorsSource(schemas)), schemasFingerprint(schemas));
  if (!validators) throw new Error('the generated validators did not load');
  return validators;
}

/** Documents of each kind, valid and not, reaching every keyword the schemas use. */
const DOCUMENTS: Readonly<Record<SchemaKind, readonly unknown[]>> = {
  config: [
    {},
    { users: [{ userName: 'alice', displayName: 'Alice 🚀', name: { given: 'A', family: 'L' } }] },
    { users: [{ displayName: 'no userName', nickname: 'x' }], groups: 'admins' },
    { users: [{ userName: '' }], groups: [{ name: 'g', members: ['alice', 7] }] },
    { permissionSets: [{ name: 'P', inlinePolicy: 12, permissionsBoundary: {} }] },
    { permissionSets: [{ name: 'P', permissionsBoundary: { managedPolicy: 'A', customerManagedPolicy: { name: 'B' } }, tags: { team: 1 } }] },
    { permissionSets: [{ name: 'P', customerManagedPolicies: [{ path: '/' }], sesionDuration: 'PT1H' }] },
    { assignments: [{ permissionSets: [] }, { users: ['u'] }] },
    { assignments: [{ permissionSets: ['P'], ous: ['/Root/A', { path: '/Root/B', recursive: 'no' }, 3, {}, ''], recursive: 'yes' }] },
    { assignments: [{ permissionSets: ['P'], accounts: [''], exclude: { ous: [{ recursive: true }], other: 1 }, accountTags: { env: ['prod'] } }] },
    {
      guardrails: [
        { name: 'd', deny: { principalTypes: ['ROLE'], actions: ['iam:*', 'not an action'], privilege: ['root'], unknownContent: 'maybe' } },
        { name: 's', maxSessionDuration: { max: 'PT' } },
        { name: 'e', directAssignmentsExpire: { withinDays: 0 } },
        { name: 'p', protect: { groups: ['breakglass'] } },
        { name: 'm', minAdmins: { count: 1.5 }, severity: 'fatal' },
        { name: 'h', maxHolders: { privilege: 'admin', count: -1 } },
        { deny: {} },
      ],
    },
    [],
    'users: []',
    null,
  ],
  gatehouse: [
    { version: 1 },
    { version: 1, state: 'dynamodb:gatehouse-state@eu-west-1', include: ['*.yaml', 'teams/**'], safety: { maxDeleteFraction: 0.5, expiryWarning: '2w' } },
    { version: 2 },
    { instance: { region: 'eu-west-1', identitySource: 'scim' } },
    { version: 1, state: 'postgres://x', include: ['a', 'a'], safety: { maxDeletes: -1, maxDeleteFraction: 2, expiryWarning: '14 days' } },
    { version: 1, limits: { maxPoliciesPerPermissionSet: '10', maxFileBytes: 0 }, ownership: { users: 'delete' }, ignore: { groups: [1] } },
    { version: 1, users: [{ displayName: 'via config.schema.json' }], assignments: [{ permissionSets: ['P'], ous: [{ path: '' }] }] },
    { version: 1, organisation: 'organization.yaml' },
  ],
  organization: [
    { managementAccountId: '111111111111' },
    { managementAccountId: '111111111111', accounts: [{ id: '222222222222', name: 'prod', status: 'ACTIVE', tags: { env: 'prod' } }] },
    { accounts: [{ id: 222222222222, name: '' }] },
    { managementAccountId: '111111111111', ous: [{ name: 'W', ous: [{ accounts: [{ name: 'x', status: 'GONE', tags: { a: true } }] }] }], extra: 1 },
    { managementAccountId: 111111111111, accounts: {} },
    'managementAccountId: "111111111111"',
  ],
};

/** The example configs, the broken ones included, as the loader parses them. */
function exampleDocuments(): { kind: SchemaKind; file: string; value: unknown }[] {
  const docs = [];
  for (const example of ['acme', 'invalid']) {
    const folder = path.join(root, 'examples', example);
    for (const name of readdirSync(folder).filter((n) => n.endsWith('.yaml'))) {
      const kind: SchemaKind = name === 'gatehouse.yaml' ? 'gatehouse' : name === 'organization.yaml' ? 'organization' : 'config';
      const file = path.join(folder, name);
      docs.push({ kind, file, value: parseYaml(file, readFileSync(file, 'utf8')).value });
    }
  }
  return docs;
}

describe('precompiled schema validators', () => {
  const runtime = compileSchemas();

  it.each(SCHEMA_KINDS)('give the run-time validators’ verdict and errors for %s documents', async (kind) => {
    const standalone = await precompiled();
    let invalid = 0;
    for (const doc of DOCUMENTS[kind]) {
      const valid = runtime[kind](doc);
      expect(standalone[kind](doc), JSON.stringify(doc)).toBe(valid);
      expect(standalone[kind].errors, JSON.stringify(doc)).toStrictEqual(runtime[kind].errors);
      if (!valid) invalid++;
    }
    expect(invalid).toBeGreaterThanOrEqual(3);
  });

  it('agree on the example configs, the invalid example included', async () => {
    const standalone = await precompiled();
    const docs = exampleDocuments();
    expect(new Set(docs.map((d) => d.kind))).toEqual(new Set(SCHEMA_KINDS));
    for (const { kind, file, value } of docs) {
      expect(standalone[kind](value), file).toBe(runtime[kind](value));
      expect(standalone[kind].errors, file).toStrictEqual(runtime[kind].errors);
    }
    expect(docs.some(({ kind, value }) => !runtime[kind](value))).toBe(true);
  });

  it('quote the failing data and schema (verbose), which the config messages use', async () => {
    const standalone = await precompiled();
    expect(standalone.config({ users: [{ userName: 'a', nickname: 'x' }] })).toBe(false);
    expect(standalone.config.errors).toEqual([
      expect.objectContaining({
        instancePath: '/users/0',
        keyword: 'additionalProperties',
        params: { additionalProperty: 'nickname' },
        data: { userName: 'a', nickname: 'x' },
        parentSchema: expect.objectContaining({ title: 'User' }),
      }),
    ]);
  });
});

describe('loading precompiled schema validators', () => {
  it('loads nothing when the file is absent (a run from src/ without a build)', async () => {
    expect(await loadStandaloneValidators(path.join(dir, 'absent.js'), schemasFingerprint())).toBeUndefined();
  });

  it('loads nothing when they were built from other schemas (a schema edited since the build)', async () => {
    const config = FILE_SCHEMAS.config as { properties: Record<string, unknown> };
    const edited = { ...FILE_SCHEMAS, config: { ...config, properties: { ...config.properties, teams: { type: 'array' } } } };
    const file = writeModule(standaloneValidatorsSource(edited));
    expect(schemasFingerprint(edited)).not.toBe(schemasFingerprint());
    expect(await loadStandaloneValidators(file, schemasFingerprint())).toBeUndefined();
    expect(await loadStandaloneValidators(file, schemasFingerprint(edited))).toBeDefined();
  });

  it('loads nothing from a file that does not load', async () => {
    expect(await loadStandaloneValidators(writeModule('export const fingerprint = ;'), schemasFingerprint())).toBeUndefined();
  });
});

describe('schemaValidator', () => {
  afterEach(() => {
    vi.doUnmock('../../../src/config/schema/standalone-validators.js');
    vi.resetModules();
  });

  async function validatorsModule(load: () => Promise<SchemaValidators | undefined>) {
    vi.resetModules();
    vi.doMock('../../../src/config/schema/standalone-validators.js', () => ({
      standaloneValidatorsFile: () => path.join(dir, 'mocked.js'),
      loadStandaloneValidators: load,
    }));
    return import('../../../src/config/schema/validators.js');
  }

  it('uses the precompiled validators when they load', async () => {
    const standalone = await precompiled();
    const { schemaValidator } = await validatorsModule(async () => standalone);
    for (const kind of SCHEMA_KINDS) expect(schemaValidator(kind)).toBe(standalone[kind]);
  });

  it('compiles the schemas when there are none to load, with the same errors', async () => {
    const { schemaValidator } = await validatorsModule(async () => undefined);
    const validate = schemaValidator('gatehouse');
    expect('schemaEnv' in validate).toBe(true); // ajv's own compiled function, not standalone code
    const runtime = compileSchemas();
    expect(validate({ version: 2 })).toBe(false);
    runtime.gatehouse({ version: 2 });
    expect(validate.errors).toStrictEqual(runtime.gatehouse.errors);
  });
});
