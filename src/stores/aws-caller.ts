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

/**
 * An AWS service error as the wire reports it: `name` is the error shape
 * (`ConflictException`, `ResourceNotFoundException`, `ThrottlingException`, ...).
 */
export class AwsServiceError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
    readonly httpStatus = 400,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = errorName;
  }
}
