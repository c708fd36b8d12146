import { RetryableError, TerminalError } from '../diagnostics/errors.js';
import type { AwsCaller, AwsOutput, AwsService } from './aws-caller.js';
import { classifyAwsError } from './classify-aws-error.js';

// CreateAccountAssignment, DeleteAccountAssignment and ProvisionPermissionSet return a request
// id; the change has taken effect only when its status says SUCCEEDED.

export interface PollOptions {
  /** Pause between status calls; 0 in process, where the engine settles on the first call. */
  readonly pollIntervalMs: number;
  /** Give up (retryably: the request is idempotent) after this long. */
  readonly deadlineMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface PollTarget {
  readonly service: AwsService;
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
  /** The member of the output holding the status structure. */
  readonly statusMember: string;
  /** What the request does, for messages. */
  readonly describe: string;
}

interface Status {
  Status?: string;
  RequestId?: string;
  FailureReason?: string;
}

/** Without a pause, a handful of polls is enough: an in-process request settles at once. */
const POLLS_WITHOUT_PAUSE = 20;

export async function pollUntilDone(caller: AwsCaller, target: PollTarget, first: Status, options: PollOptions): Promise<void> {
  let status = first;
  let waited = 0;
  let polls = 0;
  for (;;) {
    if (status.Status === 'SUCCEEDED') return;
    if (status.Status === 'FAILED') {
      throw new TerminalError(`${target.describe} failed: ${status.FailureReason ?? 'no reason given'} (request ${status.RequestId ?? '?'})`, 'RequestFailed');
    }
    const exhausted = options.pollIntervalMs > 0 ? waited >= options.deadlineMs : polls >= POLLS_WITHOUT_PAUSE;
    if (exhausted) {
      throw new RetryableError(`${target.describe}: request ${status.RequestId ?? '?'} still ${status.Status ?? 'unknown'} after ${waited} ms`, 'RequestInProgress');
    }
    if (options.pollIntervalMs > 0) {
      await options.sleep(options.pollIntervalMs);
      waited += options.pollIntervalMs;
    }
    polls++;
    let out: AwsOutput;
    try {
      out = await caller.call(target.service, target.operation, target.input);
    } catch (e) {
      throw classifyAwsError(e, `${target.describe}: polling ${target.operation}`);
    }
    status = (out[target.statusMember] as Status | undefined) ?? {};
  }
}
