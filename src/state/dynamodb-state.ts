import { chainRecord, GENESIS_HASH, type AuditEntry, type AuditRecord } from '../audit/audit-record.js';
import { principalsOfRecord } from '../audit/record-principals.js';
import { UserError } from '../diagnostics/errors.js';
import { ConditionFailed, dynamoDbCalls, type DynamoDbCallsOptions } from './dynamodb-calls.js';
import {
  appliedPlanItem,
  appliedPlanOfItem,
  AUDIT_PARTITION,
  auditItem,
  keyOf,
  PARTITION_KEY,
  PLANS_PARTITION,
  recordOfItem,
  SORT_KEY,
  type Item,
} from './dynamodb-items.js';
import { acquireDynamoLease } from './dynamodb-lease.js';
import type { AppliedPlan, AuditFilter, SharedState } from './shared-state.js';

// `dynamodb:TABLE[@REGION]`: the shared state of a team, in one DynamoDB table (layout in
// dynamodb-items.ts, setup in docs/aws-setup.md).
//
// Audit records and applied plans are only ever written with PutItem conditional on
// attribute_not_exists: never updated, never deleted, so the apply role's policy can leave out
// UpdateItem and DeleteItem on them. When a put finds its sequence number taken, another
// writer got there first: re-read the tail and chain onto it. There is no head item (it would
// have to be updated): the last record is the head, and the applied plans' anchors show a chain
// cut back.
//
// A batch is written record by record: DynamoDB transactions would make it all-or-nothing, but
// the contract allows a prefix, and a prefix of a chain is still a chain.

export interface DynamoDbStateOptions extends DynamoDbCallsOptions {
  /** For `audit log|verify` and plan: every write is refused. */
  readonly readOnly?: boolean;
}

/** How often one append may find its number taken before giving up (a writer that never stops). */
const MAX_CONFLICTS = 50;

export function openDynamoDbState(options: DynamoDbStateOptions): SharedState {
  const db = dynamoDbCalls(options);
  const readOnly = options.readOnly === true;
  const refuse = (what: string) => Promise.reject(new UserError(`shared state ${db.url()} was opened read-only; cannot ${what}`));
  // Appends from one process run one at a time (the applier records changes concurrently); the
  // conditional puts keep other processes honest.
  let queue: Promise<unknown> = Promise.resolve();
  let tail: { seq: number; hash: string } | undefined;

  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => {});
    return run;
  };

  const readTail = async (partition: string): Promise<Item | undefined> =>
    (
      await db.queryPage({
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY },
        ExpressionAttributeValues: { ':pk': { S: partition } },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      })
    )[0];

  const auditTail = async () => {
    const item = await readTail(AUDIT_PARTITION);
    if (!item) return { seq: 0, hash: GENESIS_HASH };
    const record = recordOfItem(item);
    return { seq: record.seq, hash: record.hash };
  };

  /** Whether the item now at `key` is exactly the one we tried to put (a retried put whose first try landed). */
  const isOurs = async (key: Item, hash: (item: Item) => string | undefined, expected: string): Promise<boolean> => {
    const item = await db.getItem({ Key: key, ConsistentRead: true });
    return item !== undefined && hash(item) === expected;
  };

  const append = async (entries: readonly AuditEntry[]): Promise<AuditRecord[]> => {
    const written: AuditRecord[] = [];
    let conflicts = 0;
    tail ??= await auditTail();
    for (let i = 0; i < entries.length; ) {
      const record = chainRecord(entries[i]!, tail.seq + 1, tail.hash);
      try {
        await db.putItem({
          Item: auditItem(record),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY },
        });
      } catch (err) {
        if (!(err instanceof ConditionFailed)) {
          tail = undefined;
          throw err;
        }
        if (!(await isOurs(keyOf(AUDIT_PARTITION, record.seq), (item) => item.hash?.S, record.hash))) {
          if (++conflicts > MAX_CONFLICTS) {
            tail = undefined;
            throw new UserError(`shared state ${db.url()}: another writer took audit record ${record.seq} ${MAX_CONFLICTS} times in a row; stopped appending (${written.length} of ${entries.length} records written)`);
          }
          tail = await auditTail();
          continue;
        }
      }
      written.push(record);
      tail = { seq: record.seq, hash: record.hash };
      i++;
    }
    return written;
  };

  const recordPlan = async (plan: AppliedPlan): Promise<void> => {
    for (let conflicts = 0; ; conflicts++) {
      const last = await readTail(PLANS_PARTITION);
      const n = last ? Number(last[SORT_KEY]?.N ?? 0) + 1 : 1;
      const item = appliedPlanItem(n, plan);
      try {
        await db.putItem({ Item: item, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PARTITION_KEY } });
        return;
      } catch (err) {
        if (!(err instanceof ConditionFailed)) throw err;
        if (await isOurs(keyOf(PLANS_PARTITION, n), (found) => found.body?.S, item.body!.S!)) return;
        if (conflicts >= MAX_CONFLICTS) throw new UserError(`shared state ${db.url()}: could not record applied plan ${plan.planId.slice(0, 12)}: ${MAX_CONFLICTS} concurrent writers took its place`);
      }
    }
  };

  const readAudit = async (filter: AuditFilter = {}): Promise<AuditRecord[]> => {
    const names: Record<string, string> = { '#pk': PARTITION_KEY };
    const values: Item = { ':pk': { S: AUDIT_PARTITION } };
    let keyCondition = '#pk = :pk';
    if (filter.afterSeq !== undefined) {
      keyCondition += ' AND #sk > :after';
      names['#sk'] = SORT_KEY;
      values[':after'] = { N: String(filter.afterSeq) };
    }
    const filters: string[] = [];
    if (filter.since) {
      // ISO strings from toISOString() order like the instants they denote.
      filters.push('#time >= :since');
      names['#time'] = 'time';
      values[':since'] = { S: filter.since.toISOString() };
    }
    if (filter.planId) {
      filters.push('begins_with(#planId, :plan)');
      names['#planId'] = 'planId';
      values[':plan'] = { S: filter.planId };
    }
    const items = await db.query({
      KeyConditionExpression: keyCondition,
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ConsistentRead: true,
    });
    const records = items.map(recordOfItem);
    const principal = filter.principal;
    return principal === undefined ? records : records.filter((r) => principalsOfRecord(r).includes(principal));
  };

  return {
    get url() {
      return db.url();
    },
    acquireLock: (request) => (readOnly ? refuse('take the apply lock') : acquireDynamoLease(db, request)),
    appendAudit: (entries) => (readOnly ? refuse('append audit records') : serial(() => append(entries))),
    readAudit,
    readAuditHead: async () => 'derived',
    recordAppliedPlan: (plan) => (readOnly ? refuse('record an applied plan') : serial(() => recordPlan(plan))),
    async readAppliedPlans() {
      const items = await db.query({
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY },
        ExpressionAttributeValues: { ':pk': { S: PLANS_PARTITION } },
        ConsistentRead: true,
      });
      return items.flatMap((item) => appliedPlanOfItem(item) ?? []);
    },
    close: async () => {
      await queue;
      db.destroy();
    },
  };
}

