import type { AwsCaller, AwsInput, AwsOutput, AwsService } from './aws-caller.js';
import { classifyAwsError } from './classify-aws-error.js';
import type { IdResolver } from './id-resolver.js';
import { pollUntilDone, type PollOptions, type PollTarget } from './poll-request.js';

// One change being performed: counts the writes, collects asynchronous request ids, and
// classifies every AWS error where it happens.

export class PerformSession {
  writes = 0;
  readonly requestIds: string[] = [];

  constructor(
    readonly caller: AwsCaller,
    readonly ids: IdResolver,
    readonly poll: PollOptions,
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
  async write(service: AwsService, operation: string, input: AwsInput, tolerate?: (e: unknown) => boolean): Promise<AwsOutput | undefined> {
    try {
      const out = await this.caller.call(service, operation, input);
      this.writes++;
      return out;
    } catch (e) {
      if (tolerate?.(e)) return undefined;
      throw classifyAwsError(e, operation);
    }
  }

  /** Starts an asynchronous request and waits for it to succeed. */
  async request(
    operation: string,
    input: AwsInput,
    statusMember: string,
    describe: Omit<PollTarget, 'service' | 'statusMember' | 'input'> & { readonly idMember: string },
  ): Promise<void> {
    const out = (await this.write('sso-admin', operation, input))!;
    const status = (out[statusMember] as { RequestId?: string } | undefined) ?? {};
    if (status.RequestId) this.requestIds.push(status.RequestId);
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
  }
}
