import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { UserError } from '../diagnostics/errors.js';
import { ConditionFailed, type DynamoDbCalls } from './dynamodb-calls.js';
import { LEASE_KEY, leaseItem, leaseOfItem, PARTITION_KEY, type LeaseItem } from './dynamodb-items.js';
import type { Lease, LeaseRequest } from './shared-state.js';

// The apply lock of a `dynamodb:` state: one lease item, claimed with a conditional put.
//
// A lease is over when either
// - its expiry (the holder's clock) has passed on ours by more than CLOCK_SKEW_MS, or
// - we have watched it for a whole lease length without its record version (`rvn`, new at
//   every renewal) changing. This needs no clock agreement at all (as AWS's DynamoDB lock
//   client does it): a holder that renewed at any point we watched would have changed rvn.
// The takeover is a put conditional on the rvn we saw, so a renewal that lands first wins.
//
// Unlike the sqlite lock, a dead pid is not taken as proof that the holder is gone: the
// holders of a shared table run on CI runners and containers whose host names and pid spaces
// say nothing to each other. A killed holder blocks for at most one lease length.

const DEFAULT_TTL_MS = 30_000;
const DEFAULT_POLL_MS = 500;
/** How far apart two machines' clocks may be before the expiry path could misjudge a lease. */
export const CLOCK_SKEW_MS = 1_000;

const NAMES = { '#token': 'token', '#rvn': 'rvn', '#expiresAt': 'expiresAt' };

export async function acquireDynamoLease(db: DynamoDbCalls, request: LeaseRequest): Promise<Lease> {
  const ttlMs = request.ttlMs ?? DEFAULT_TTL_MS;
  const pollMs = request.pollMs ?? DEFAULT_POLL_MS;
  const monotonic = request.now ?? (() => performance.now());
  const token = randomUUID();
  const started = performance.now();
  let watched: { rvn: string; since: number } | undefined;
  let reread = false;
  // When our last claim was sent: its lease runs from no earlier than that.
  let claimSent = -Infinity;
  for (;;) {
    const item = await db.getItem({ Key: LEASE_KEY, ConsistentRead: true });
    const current = item ? leaseOfItem(item) : undefined;
    // Our own claim landed but its answer was lost (the SDK retried and found our item).
    if (current?.token === token) return holdLease(db, token, request.owner, ttlMs, monotonic, claimSent + ttlMs);
    if (current && watched?.rvn !== current.rvn) watched = { rvn: current.rvn, since: performance.now() };
    const over =
      current === undefined ||
      Date.now() > current.expiresAt + CLOCK_SKEW_MS ||
      performance.now() - watched!.since >= (current.ttlMs > 0 ? current.ttlMs : DEFAULT_TTL_MS);
    if (over) {
      claimSent = monotonic();
      if (await claim(db, token, request.owner, ttlMs, current?.rvn)) return holdLease(db, token, request.owner, ttlMs, monotonic, claimSent + ttlMs);
      // Someone else changed the lease first, or our claim landed and only its answer was
      // lost (the SDK's retry then finds our own item): read again before judging.
      if (!reread) {
        reread = true;
        continue;
      }
    }
    reread = false;

    const waited = performance.now() - started;
    if (waited >= request.timeoutMs) throw busy(db, current, waited);
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, request.timeoutMs - waited))));
  }
}

async function claim(db: DynamoDbCalls, token: string, owner: string, ttlMs: number, overRvn: string | undefined): Promise<boolean> {
  const now = Date.now();
  const lease: LeaseItem = {
    token,
    rvn: randomUUID(),
    owner,
    host: os.hostname(),
    pid: process.pid,
    acquiredAt: new Date(now).toISOString(),
    expiresAt: now + ttlMs,
    ttlMs,
  };
  try {
    await db.putItem({
      Item: leaseItem(lease),
      ...(overRvn === undefined
        ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PARTITION_KEY } }
        : { ConditionExpression: '#rvn = :seen', ExpressionAttributeNames: { '#rvn': 'rvn' }, ExpressionAttributeValues: { ':seen': { S: overRvn } } }),
    });
    return true;
  } catch (err) {
    if (err instanceof ConditionFailed) return false;
    throw err;
  }
}

function busy(db: DynamoDbCalls, holder: LeaseItem | undefined, waitedMs: number): UserError {
  const who = holder ? `pid ${holder.pid} on ${holder.host} since ${holder.acquiredAt}, by ${holder.owner}` : 'a holder that just released it';
  const left = holder ? Math.max(0, holder.expiresAt - Date.now()) : 0;
  return new UserError(
    `another apply holds the lock on ${db.url()} (${who}; its lease runs ${(left / 1000).toFixed(1)}s more unless renewed); waited ${(waitedMs / 1000).toFixed(1)}s`,
  );
}

function holdLease(db: DynamoDbCalls, token: string, owner: string, ttlMs: number, monotonic: () => number, firstDeadline: number): Lease {
  let held = true;
  let released = false;
  let deadline = firstDeadline;
  // Renews only our unexpired lease: once expired, a waiter may already have judged it free,
  // so the holder must not resurrect it, even if nobody has taken it yet.
  const renew = async (): Promise<void> => {
    // A waiter watching for a silent lease starts its ttl no earlier than this renewal lands.
    const sent = monotonic();
    const now = Date.now();
    try {
      await db.updateItem({
        Key: LEASE_KEY,
        UpdateExpression: 'SET #expiresAt = :expires, #rvn = :rvn',
        ConditionExpression: '#token = :token AND #expiresAt >= :now',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: {
          ':expires': { N: String(now + ttlMs) },
          ':rvn': { S: randomUUID() },
          ':token': { S: token },
          ':now': { N: String(now) },
        },
      });
      deadline = Math.max(deadline, sent + ttlMs);
    } catch (err) {
      if (err instanceof ConditionFailed) held = false;
      else throw err;
    }
  };
  let beating = false;
  const heartbeat = setInterval(() => {
    if (!held || released || beating) return;
    beating = true;
    // A failed beat (network) is tried again a third of a lease later; confirm() is strict.
    renew()
      .catch(() => {})
      .finally(() => (beating = false));
  }, Math.max(10, Math.floor(ttlMs / 3)));
  heartbeat.unref();
  return {
    owner,
    held: () => held && !released,
    async confirm() {
      if (!held || released) return false;
      try {
        await renew();
      } catch {
        // Cannot tell: treat as lost rather than write without a lock.
        held = false;
      }
      return held && !released;
    },
    deadline: () => (held && !released ? deadline : -Infinity),
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      try {
        await db.deleteItem({
          Key: LEASE_KEY,
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': { S: token } },
        });
      } catch (err) {
        // Taken over or gone already: nothing of ours to release.
        if (!(err instanceof ConditionFailed)) throw err;
      }
    },
  };
}
