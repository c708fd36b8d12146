import pLimit from 'p-limit';
import type { Change } from '../../diff/change.js';
import { TerminalError, UserError } from '../../diagnostics/errors.js';
import type { Organization } from '../../model/entities.js';
import { compareStrings } from '../../model/keys.js';
import type { LiveState } from '../../model/live.js';
import { sleep } from '../../apply/retry.js';
import { classifyAwsError } from '../classify-aws-error.js';
import { createIdResolver, seedFromSnapshot, type IdResolver, type InstanceRef } from '../id-resolver.js';
import type { LiveStore, PerformHooks, PerformResult, SnapshotOptions, StoreCapabilities } from '../live-store.js';
import { performChange } from '../perform-change.js';
import { debug } from '../../output/debug.js';
import { callerRestrictions, isManagementCaller } from './caller-restrictions.js';
import { KeyedLock } from './keyed-lock.js';
import { listAll } from './paginate.js';
import { readAssignments, readProvisioning, type AssignmentScan } from './read-assignments.js';
import { readIdentity } from './read-identity.js';
import { readOrganization } from './read-organization.js';
import { readPermissionSets } from './read-permission-sets.js';
import { SdkCaller, type SdkCallerOptions } from './sdk-caller.js';

// The real IAM Identity Center through the AWS SDK v3: snapshot reads every page with bounded
// concurrency under the shared rate limit; perform reuses performChange (the same calls every
// store makes) within Identity Center's limits on requests in flight.

export interface AwsStoreOptions {
  readonly region?: string;
  /** Where the region came from (`--region`, `AWS_REGION`…), named when no instance is found there. */
  readonly regionSource?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly instanceArn?: string;
  readonly identityStoreId?: string;
  readonly readOnly?: boolean;
  /** Requests per second across SSO Admin and Identity Store (default 20, AWS's shared quota). */
  readonly maxRps?: number;
  /** Accepted for symmetry with the sqlite store; AWS's organisation is read, never loaded. */
  readonly organization?: unknown;
  /** Reads in flight during a snapshot (default 8). */
  readonly readConcurrency?: number;
  /** How assignments are listed; `auto` picks the cheaper (default). */
  readonly assignmentScan?: AssignmentScan;
  /** Pause between status polls of asynchronous requests (default 1 s; 50 ms on loopback). */
  readonly pollIntervalMs?: number;
  /** Give up waiting for an asynchronous request after this long (default 5 min). */
  readonly pollDeadlineMs?: number;
  /**
   * Longest wait for a connection or an answer, and for one call with its retries (default
   * 30 s; `--timeout`, GATEHOUSE_HTTP_TIMEOUT).
   */
  readonly httpTimeoutMs?: number;
  /** Total time one change may take, every call, retry and status poll included (default 10 min). */
  readonly changeBudgetMs?: number;
  /** Passed to the caller (tests inject sleep/random, retry policy). */
  readonly caller?: Pick<SdkCallerOptions, 'retry' | 'sleep' | 'random' | 'conflictAttempts' | 'callBudgetMs'>;
}

export type AwsStore = LiveStore & {
  callCounts(): Record<string, number>;
  readonly instance: InstanceRef;
};

export const DEFAULT_CHANGE_BUDGET_MS = 10 * 60_000;

/** Identity Center's quotas on requests in flight (DESIGN.md "Identity Center behaviour"). */
export const AWS_LIMITS = {
  outstandingAssignmentRequests: 15,
  concurrentProvisionings: 3,
} as const;

export async function openAwsStore(options: AwsStoreOptions = {}): Promise<AwsStore> {
  // Gatehouse supports Node 20 on purpose (engines >=20); the SDK's warning about it would print
  // on every command. Users who want it back set the variable to false.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const httpTimeoutMs = options.httpTimeoutMs ?? timeoutFromEnvironment();
  const caller = new SdkCaller({
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.maxRps !== undefined ? { maxRps: options.maxRps } : {}),
    ...(httpTimeoutMs !== undefined ? { httpTimeoutMs } : {}),
    readOnly: options.readOnly === true,
    ...options.caller,
  });
  try {
    const instance = await discoverInstance(caller, options);
    return new SdkStore(caller, instance, options);
  } catch (err) {
    caller.close();
    throw err;
  }
}

/** GATEHOUSE_HTTP_TIMEOUT: `30s`, `2m`, `500ms` or seconds. */
function timeoutFromEnvironment(): number | undefined {
  const text = process.env.GATEHOUSE_HTTP_TIMEOUT?.trim();
  if (!text) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text);
  if (!m || Number(m[1]) <= 0) throw new UserError(`GATEHOUSE_HTTP_TIMEOUT=${text}: give a duration such as 30s, 2m or 500ms`);
  return Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] ?? 's']!);
}

interface WireInstance {
  readonly InstanceArn: string;
  readonly IdentityStoreId: string;
  readonly Name?: string;
  readonly Status?: string;
}

async function discoverInstance(caller: SdkCaller, options: AwsStoreOptions): Promise<InstanceRef> {
  if (options.instanceArn && options.identityStoreId) return { instanceArn: options.instanceArn, identityStoreId: options.identityStoreId };
  let instances: WireInstance[];
  try {
    instances = await listAll<WireInstance>(caller, 'sso-admin', 'ListInstances', {}, 'Instances');
  } catch (err) {
    throw classifyAwsError(err, 'discovering the IAM Identity Center instance (ListInstances)');
  }
  const chosen = options.instanceArn ? instances.filter((i) => i.InstanceArn === options.instanceArn) : instances;
  if (chosen.length === 1) {
    return { instanceArn: chosen[0]!.InstanceArn, identityStoreId: options.identityStoreId ?? chosen[0]!.IdentityStoreId };
  }
  const where = options.region ? ` in ${options.region}${options.regionSource ? ` (from ${options.regionSource})` : ''}` : '';
  if (options.instanceArn) throw new TerminalError(`IAM Identity Center instance ${options.instanceArn} not found${where}`, 'InstanceNotFound');
  if (chosen.length === 0) throw new TerminalError(`no IAM Identity Center instance found${where}; enable Identity Center or check the region`, 'InstanceNotFound');
  throw new TerminalError(
    `${chosen.length} IAM Identity Center instances found${where} (${chosen.map((i) => i.InstanceArn).join(', ')}); set instance.instanceArn`,
    'AmbiguousInstance',
  );
}

const isLoopback = (url: string | undefined): boolean => {
  if (!url) return false;
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
};

class SdkStore implements LiveStore {
  readonly url = 'aws';
  private ids: IdResolver;
  private readonly assignmentRequests = {
    'assignment.create': pLimit(AWS_LIMITS.outstandingAssignmentRequests),
    'assignment.delete': pLimit(AWS_LIMITS.outstandingAssignmentRequests),
  };
  private readonly provisionings = pLimit(AWS_LIMITS.concurrentProvisionings);
  private readonly provisioningTargets = new KeyedLock();
  private readonly pollIntervalMs: number;
  private callerAccountId: Promise<string | undefined> | undefined;
  /** (account, permission set) pairs this store has written assignments in, by name. */
  private readonly writtenPairs = new Map<string, { readonly accountId: string; readonly permissionSetName: string }>();

  constructor(
    private readonly caller: SdkCaller,
    readonly instance: InstanceRef,
    private readonly options: AwsStoreOptions,
  ) {
    this.ids = createIdResolver(caller, instance);
    this.pollIntervalMs = options.pollIntervalMs ?? (isLoopback(options.endpointUrl ?? process.env.AWS_ENDPOINT_URL) ? 50 : 1000);
  }

  capabilities(): StoreCapabilities {
    return {
      write: !this.caller.readOnly,
      concurrency: {
        'assignment.create': AWS_LIMITS.outstandingAssignmentRequests,
        'assignment.delete': AWS_LIMITS.outstandingAssignmentRequests,
        'permissionSet.provision': AWS_LIMITS.concurrentProvisionings,
      },
      defaultConcurrency: 8,
    };
  }

  callCounts(): Record<string, number> {
    return this.caller.callCounts();
  }

  async organization(): Promise<Organization> {
    return this.read('reading the organisation', () => readOrganization(this.caller, this.readLimit()));
  }

  async snapshot(options: SnapshotOptions = {}): Promise<LiveState> {
    return this.read('reading IAM Identity Center', async () => {
      const limit = this.readLimit();
      const { instanceArn, identityStoreId } = this.instance;
      const [organization, identity, permissionSets, callerAccountId] = await Promise.all([
        readOrganization(this.caller, limit),
        readIdentity(this.caller, identityStoreId, limit),
        readPermissionSets(this.caller, instanceArn, limit),
        this.callerAccount(),
      ]);
      const management = isManagementCaller({ callerAccountId, managementAccountId: organization.managementAccountId });
      const scope = options.permissionSetNames ? new Set(options.permissionSetNames) : undefined;
      const scoped = permissionSets.filter((p) => !scope || scope.has(p.name)).map((p) => ({ arn: p.arn, name: p.name }));
      const pairs = await readProvisioning(this.caller, instanceArn, organization.accounts.map((a) => a.id), scoped, limit);
      const arnOf = new Map(scoped.map((p) => [p.name, p.arn]));
      const confirm = [...this.writtenPairs.values()].flatMap((w) => {
        const permissionSetArn = arnOf.get(w.permissionSetName);
        return permissionSetArn === undefined ? [] : [{ accountId: w.accountId, permissionSetArn }];
      });
      const assignments = await readAssignments({
        caller: this.caller,
        instanceArn,
        pairs,
        confirm,
        permissionSets: scoped,
        users: identity.users,
        groups: identity.groups,
        limit,
        // Listing by principal is for the management account only (caller-restrictions.ts).
        ...(!management ? { scan: 'by-pair' as const } : this.options.assignmentScan ? { scan: this.options.assignmentScan } : {}),
      });
      const names = new Map(permissionSets.map((p) => [p.arn, p.name]));
      const provisioning = pairs
        .map((p) => ({ permissionSetName: names.get(p.permissionSetArn) ?? p.permissionSetArn, accountId: p.accountId, status: p.status }))
        .sort((a, b) => compareStrings(a.permissionSetName, b.permissionSetName) || compareStrings(a.accountId, b.accountId));
      // Later performs resolve names from this snapshot instead of asking AWS again.
      this.ids = createIdResolver(this.caller, this.instance, seedFromSnapshot({ ...identity, permissionSets }));
      const restrictions = callerRestrictions({ callerAccountId, managementAccountId: organization.managementAccountId, provisioning });
      return {
        instanceArn,
        identityStoreId,
        organization,
        users: identity.users,
        groups: identity.groups,
        memberships: identity.memberships,
        permissionSets,
        assignments,
        provisioning,
        ...(restrictions ? { restrictions } : {}),
      };
    });
  }

  async perform(change: Change, hooks: PerformHooks = {}): Promise<PerformResult> {
    if (this.caller.readOnly) {
      throw new TerminalError(`refusing ${change.kind}: the AWS store was opened read-only`, 'ReadOnlyStore');
    }
    const run = () => {
      // One budget for the whole change, started when it gets its turn (not while queued).
      const now = this.caller.clock;
      const budget = this.options.changeBudgetMs ?? DEFAULT_CHANGE_BUDGET_MS;
      const deadline = now() + budget;
      // The guard runs again in the SDK caller before every attempt: a retry after a backoff, or
      // a request that waited for the rate limit, is checked just before it is sent.
      return performChange(this.caller.within({ deadline, ...(hooks.beforeRequest ? { beforeWrite: hooks.beforeRequest } : {}) }), this.ids, change, {
        pollIntervalMs: this.pollIntervalMs,
        deadlineMs: Math.min(this.options.pollDeadlineMs ?? 5 * 60_000, budget),
        sleep,
      }, hooks);
    };
    switch (change.kind) {
      case 'assignment.create':
      case 'assignment.delete': {
        // Remembered before the request: even a failed or unknown outcome may have changed the
        // pair, and later snapshots (apply's verify) list it directly (read-assignments.ts).
        const { accountId, permissionSetName } = change.assignment;
        this.writtenPairs.set(`${accountId}|${permissionSetName}`, { accountId, permissionSetName });
        return this.assignmentRequests[change.kind](run);
      }
      case 'permissionSet.provision':
        // Queue on the target first, so a waiting provisioning does not hold one of the 3 slots.
        return this.provisioningTargets.run(`${change.accountId}|${change.permissionSetName}`, () => this.provisionings(run));
      default:
        return run();
    }
  }

  async close(): Promise<void> {
    this.caller.close();
  }

  /**
   * The account the credentials belong to (sts:GetCallerIdentity, which needs no permission),
   * learnt once. Unknown when STS cannot be reached: the store then assumes the least (no
   * management-only call) and the plan holds no restriction it cannot prove.
   */
  private callerAccount(): Promise<string | undefined> {
    this.callerAccountId ??= this.caller.callerAccount().catch((err: unknown) => {
      debug(`sts:GetCallerIdentity failed (${(err as Error).message}); the caller's account is unknown`);
      return undefined;
    });
    return this.callerAccountId;
  }

  private readLimit() {
    return pLimit(this.options.readConcurrency ?? 8);
  }

  private async read<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw classifyAwsError(err, what);
    }
  }
}
