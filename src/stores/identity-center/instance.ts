import type Database from 'better-sqlite3';
import type { AwsInput } from '../aws-caller.js';
import { read, type EngineContext, type InstanceInfo, type OperationTable } from './context.js';
import { managementAccountId } from './delegated-admin.js';
import { paginateList, pageRequest } from './pagination.js';
import { compact, epochSeconds, fail, PATTERNS, requiredString } from './wire.js';

// One Identity Center instance per database, created the first time the file is opened. The
// check-then-create runs in an IMMEDIATE transaction so two processes opening a new file at
// once agree on one instance.

export function ensureInstance(db: Database.Database, hex: (n: number) => string, now: () => number): InstanceInfo {
  return db.transaction((): InstanceInfo => {
    const get = (key: string) => (db.prepare('SELECT value FROM ic_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
    const existing = get('instance_arn');
    if (existing !== undefined) {
      return { instanceArn: existing, identityStoreId: get('identity_store_id')!, createdAt: Number(get('created_at')) };
    }
    const info: InstanceInfo = {
      instanceArn: `arn:aws:sso:::instance/ssoins-${hex(16)}`,
      identityStoreId: `d-${hex(10)}`,
      createdAt: now(),
    };
    const put = db.prepare('INSERT INTO ic_meta (key, value) VALUES (?, ?)');
    put.run('instance_arn', info.instanceArn);
    put.run('identity_store_id', info.identityStoreId);
    put.run('created_at', String(info.createdAt));
    return info;
  }).immediate();
}

function instanceOut(ctx: EngineContext) {
  return compact({
    InstanceArn: ctx.instance.instanceArn,
    IdentityStoreId: ctx.instance.identityStoreId,
    OwnerAccountId: managementAccountId(ctx),
    Name: 'gatehouse-local',
    CreatedDate: epochSeconds(ctx.instance.createdAt),
    Status: 'ACTIVE',
  });
}

export const INSTANCE_OPERATIONS: OperationTable = {
  ListInstances: read((ctx, input: AwsInput) => {
    const { items, nextToken } = paginateList(pageRequest(input, 'ListInstances', 100, 100), 'ListInstances', [instanceOut(ctx)]);
    return compact({ Instances: items, NextToken: nextToken });
  }),
  DescribeInstance: read((ctx, input: AwsInput) => {
    const arn = requiredString(input, 'InstanceArn', PATTERNS.instanceArn);
    if (arn !== ctx.instance.instanceArn) fail('ResourceNotFoundException', `Instance ${arn} does not exist`);
    return instanceOut(ctx);
  }),
};
