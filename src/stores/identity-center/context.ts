import type Database from 'better-sqlite3';
import type { AwsInput, AwsOutput } from '../aws-caller.js';

// What an operation handler gets: the connection, the clock, id generation, the instance and
// the limits. Handlers run inside the transaction the engine opened for the call.

export interface EngineLimits {
  /**
   * AWS managed + customer managed policies a permission set can have: "IAM Identity Center
   * quotas" (https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html), "Number of
   * AWS managed and customer managed policies per permission set: 20", not adjustable. Beyond it
   * an attachment answers ServiceQuotaExceededException.
   */
  readonly maxPoliciesPerPermissionSet: number;
  /**
   * Managed policies an IAM role can have in an account, which is what a permission set becomes
   * there: the same page's footnote, "IAM sets a quota of 10 managed policies per role. To take
   * advantage of this quota [20], request an increase to the IAM quota Managed policies attached
   * to an IAM role … for each AWS account where you want to deploy the permission set", and
   * "Create a permission set": "By default, you can add any combination of up to 10 AWS managed
   * policies and Customer managed policies". So by default a set with more than 10 attaches
   * fine and fails to provision (here: in every account alike).
   */
  readonly maxManagedPoliciesPerRole: number;
  /** Outstanding (IN_PROGRESS) CreateAccountAssignment requests per instance. */
  readonly maxOutstandingAssignmentCreations: number;
  /** Outstanding ProvisionPermissionSet requests per instance. */
  readonly maxOutstandingProvisionings: number;
  /** Tags per permission set. */
  readonly maxTagsPerResource: number;
  /** Inline policy size in bytes (the model's max). */
  readonly maxInlinePolicyBytes: number;
  /**
   * An unobserved request settles (stops counting as outstanding and reports its outcome) after
   * this long, so a client that never polls cannot exhaust the outstanding-request limits.
   */
  readonly settleAfterMs: number;
  /**
   * How long a permission set stays provisioned to an account after its last assignment there
   * was deleted: AWS removes the role asynchronously, and meanwhile the pair is still listed and
   * DeletePermissionSet is refused. 0 removes it with the assignment (the in-process store, whose
   * polls do not pause).
   */
  readonly deprovisionAfterMs: number;
}

export const DEFAULT_LIMITS: EngineLimits = {
  maxPoliciesPerPermissionSet: 20,
  maxManagedPoliciesPerRole: 10,
  maxOutstandingAssignmentCreations: 15,
  maxOutstandingProvisionings: 3,
  maxTagsPerResource: 50,
  maxInlinePolicyBytes: 32768,
  settleAfterMs: 2000,
  deprovisionAfterMs: 1000,
};

export interface InstanceInfo {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly createdAt: number;
}

export interface EngineContext {
  readonly db: Database.Database;
  /**
   * The prepared statement for `sql`, compiled once per engine: preparing costs more than
   * running a simple indexed statement, and an apply runs hundreds of thousands of them.
   */
  sql(sql: string): Database.Statement;
  readonly instance: InstanceInfo;
  readonly limits: EngineLimits;
  /**
   * Asynchronous requests described (observed) since this engine's last write, by request id:
   * the engine writes their `observed` mark at the start of its next write transaction (or on
   * close) instead of in a write transaction of its own. Until then, reads here count them as
   * observed; other processes see them as still outstanding, which is harmless (they settle
   * after settleAfterMs anyway).
   */
  readonly unwrittenObservations: Set<string>;
  /** Milliseconds since the epoch, from the injected clock. */
  now(): number;
  /** `n` lowercase hex digits from the injected randomness. */
  hex(n: number): string;
  /** A random (v4-shaped) UUID. */
  uuid(): string;
  /**
   * The account the caller's credentials belong to (what sts:GetCallerIdentity answers): the
   * configured one, else the management account of the loaded organisation. A caller in any
   * other account is a delegated administrator (see delegated-admin.ts).
   */
  callerAccountId(): string;
  /** Whether the ARN names an existing AWS managed policy (see managed-policies.ts). */
  isAwsManagedPolicy(arn: string): boolean;
}

export type OperationHandler = (ctx: EngineContext, input: AwsInput) => AwsOutput;

export interface OperationSpec {
  /** Writes run in an IMMEDIATE transaction so two processes serialise on the file. */
  readonly write: boolean;
  readonly run: OperationHandler;
}

export type OperationTable = Readonly<Record<string, OperationSpec>>;

export const read = (run: OperationHandler): OperationSpec => ({ write: false, run });
export const write = (run: OperationHandler): OperationSpec => ({ write: true, run });

/** Identity Store ids: a 10-hex prefix, a dash, a UUID (e.g. `9067d4a7c1-0a1b2c3d-...`). */
export const identityStoreResourceId = (ctx: EngineContext): string => `${ctx.hex(10)}-${ctx.uuid()}`;
