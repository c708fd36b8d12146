// One way to call an AWS operation by name with its wire-shaped (PascalCase, JSON 1.1) input.
// The embedded engine answers it in process; the AWS store answers it through the SDK; the
// emulator answers it over HTTP. Code that turns a Change into API calls is written once against
// this, so every store performs changes the same way.

export type AwsService = 'sso-admin' | 'identitystore' | 'organizations';

export type AwsInput = Readonly<Record<string, unknown>>;
export type AwsOutput = Record<string, unknown>;

export interface AwsCaller {
  call(service: AwsService, operation: string, input: AwsInput): Promise<AwsOutput>;
}

/** The structured fields AWS and the SDK put on an error, beyond its name and status. */
export interface AwsErrorDetails {
  /** Identity Store's `Reason` (UNIQUENESS_CONSTRAINT_VIOLATION, CONCURRENT_MODIFICATION, ...). */
  readonly reason?: string;
  /** The SDK's `$retryable` (set on throttling and retryable service errors by the model). */
  readonly retryable?: { readonly throttling?: boolean };
  /** The SDK's `$fault`: whose side the error is on. */
  readonly fault?: 'client' | 'server';
  /** Identity Store's `ResourceType` (USER, GROUP, GROUP_MEMBERSHIP, IDENTITY_STORE, ...). */
  readonly resourceType?: string;
  /** Identity Store's `ResourceId`: the id of the resource the error is about. */
  readonly resourceId?: string;
}

/**
 * An AWS service error as the wire reports it: `name` is the error shape
 * (`ConflictException`, `ResourceNotFoundException`, `ThrottlingException`, ...).
 */
export class AwsServiceError extends Error {
  readonly reason?: string;
  readonly retryable?: { readonly throttling?: boolean };
  readonly fault?: 'client' | 'server';
  readonly resourceType?: string;
  readonly resourceId?: string;

  constructor(
    readonly errorName: string,
    message: string,
    readonly httpStatus = 400,
    readonly requestId?: string,
    details: AwsErrorDetails = {},
  ) {
    super(message);
    this.name = errorName;
    if (details.reason !== undefined) this.reason = details.reason;
    if (details.retryable !== undefined) this.retryable = details.retryable;
    if (details.fault !== undefined) this.fault = details.fault;
    if (details.resourceType !== undefined) this.resourceType = details.resourceType;
    if (details.resourceId !== undefined) this.resourceId = details.resourceId;
  }
}
