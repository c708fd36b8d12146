import { faultPoint } from '../apply/fault-points.js';
import { OutcomeUnknownError, TerminalError } from '../diagnostics/errors.js';
import type { AwsCaller, AwsInput, AwsOutput, AwsService } from './aws-caller.js';
import { classifyAwsError } from './classify-aws-error.js';
import type { IdResolver } from './id-resolver.js';
import type { RequestGuard } from './live-store.js';
import { pollUntilDone, type PollOptions, type PollTarget } from './poll-request.js';

// One change being performed: counts the writes, collects asynchronous request ids, and
// classifies every AWS error where it happens. Asynchronous requests whose outcome is in doubt
// (the answer to the request or to its status polls was lost, or it FAILED for a reason that
// may mean "already done") are settled by reading the object they were meant to change.
// Every write request passes the guard first (the applier's lease check): a change of several
// calls (a permission set and its policies) stops between two of them once the lease is lost.

export class PerformSession {
  writes = 0;
  readonly requestIds: string[] = [];

  constructor(
    readonly caller: AwsCaller,
    readonly ids: IdResolver,
    readonly poll: PollOptions,
    private readonly guard?: RequestGuard,
  ) {}

  get instanceArn(): string {
    return this.ids.instance.instanceArn;
  }

  get identityStoreId(): string {
    return this.ids.instance.identityStoreId;
  }

  /** A read: errors classified, nothing counted. */
  async read(service: AwsService, operation: string, input: AwsInput): Promise<AwsOutput> {
    try {
      return await this.caller.call(service, operation, input);
    } catch (e) {
      throw classifyAwsError(e, operation);
    }
  }

  /**
   * A write. `tolerate` names AWS errors that mean the write's goal already holds (e.g. a
   * detach of a policy already detached when a retried change runs again); those count as done.
   */
  async write(
    service: AwsService,
    operation: string,
    input: AwsInput,
    tolerate?: (e: unknown, operation: string) => boolean,
  ): Promise<AwsOutput | undefined> {
    if (this.writes > 0) faultPoint('between-requests');
    // Outside the try: a lost lease is not a store error, and nothing tolerates it.
    await this.guard?.(operation);
    try {
      const out = await this.caller.call(service, operation, input);
      this.writes++;
      return out;
    } catch (e) {
      if (tolerate?.(e, operation)) return undefined;
      throw classifyAwsError(e, operation);
    }
  }

  /**
   * Starts an asynchronous request and waits for it to succeed. `goalHolds` reads whether the
   * request's effect is in place; it decides when the outcome is in doubt: the request's answer
   * was lost, its status could not be read, or it FAILED (AWS fails a deletion of an assignment
   * that is already gone: a retried DeleteAccountAssignment must not be reported FAILED).
   */
  async request(
    operation: string,
    input: AwsInput,
    statusMember: string,
    describe: Omit<PollTarget, 'service' | 'statusMember' | 'input'> & { readonly idMember: string },
    goalHolds?: () => Promise<boolean>,
  ): Promise<void> {
    const holds = async (): Promise<boolean> => {
      if (!goalHolds) return false;
      try {
        return await goalHolds();
      } catch {
        return false; // the read failed too: still in doubt
      }
    };
    let out: AwsOutput;
    try {
      out = (await this.write('sso-admin', operation, input))!;
    } catch (e) {
      if (e instanceof OutcomeUnknownError && (await holds())) return;
      throw e;
    }
    const status = (out[statusMember] as { RequestId?: string } | undefined) ?? {};
    if (status.RequestId) this.requestIds.push(status.RequestId);
    try {
      await pollUntilDone(
        this.caller,
        {
          service: 'sso-admin',
          operation: describe.operation,
          input: { InstanceArn: this.instanceArn, [describe.idMember]: status.RequestId },
          statusMember,
          describe: describe.describe,
        },
        status,
        this.poll,
      );
    } catch (e) {
      if (await holds()) return;
      if (e instanceof TerminalError && e.code === 'RequestFailed') throw e;
      // AWS accepted the request; whether it has taken effect is not known (yet).
      const why = e instanceof Error ? e.message : String(e);
      throw new OutcomeUnknownError(
        `${describe.describe}: request ${status.RequestId ?? '?'} was accepted but its outcome is unknown (${why})`,
        'RequestOutcomeUnknown',
        status.RequestId ? [status.RequestId] : [],
      );
    }
  }
}
