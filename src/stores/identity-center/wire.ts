import { AwsServiceError, type AwsErrorDetails, type AwsInput } from '../aws-caller.js';

// Reading wire-shaped (PascalCase JSON 1.1) input and answering AWS's error shapes. The engine
// checks what it relies on (ids exist and look like ids); generic shape validation from the
// reference models sits in front of it in the emulator.

export type AwsErrorName =
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'ConflictException'
  | 'ServiceQuotaExceededException'
  | 'AccessDeniedException'
  | 'ThrottlingException'
  | 'InternalServerException'
  | 'AccountNotFoundException'
  | 'ParentNotFoundException'
  | 'ChildNotFoundException'
  | 'OrganizationalUnitNotFoundException'
  | 'TargetNotFoundException'
  | 'InvalidInputException'
  | 'AWSOrganizationsNotInUseException'
  | 'UnknownOperationException';

const HTTP_STATUS: Partial<Record<AwsErrorName, number>> = {
  InternalServerException: 500,
  AccessDeniedException: 403,
};

export function awsError(name: AwsErrorName, message: string, details: AwsErrorDetails = {}): AwsServiceError {
  return new AwsServiceError(name, message, HTTP_STATUS[name] ?? 400, undefined, details);
}

export const fail = (name: AwsErrorName, message: string, details: AwsErrorDetails = {}): never => {
  throw awsError(name, message, details);
};

/**
 * What an input check found wrong, in the words of Organizations' InvalidInputExceptionReason
 * (reference/organizations.service.json): Organizations has no ValidationException and answers
 * InvalidInputException with one of these as its Reason; SSO Admin and Identity Store answer
 * ValidationException (see organizations.ts).
 */
export type InputViolationKind =
  | 'INPUT_REQUIRED'
  | 'INVALID_PATTERN'
  | 'INVALID_ENUM'
  | 'MIN_VALUE_EXCEEDED'
  | 'MAX_VALUE_EXCEEDED'
  | 'INVALID_PAGINATION_TOKEN';

/** A ValidationException raised by an input check, knowing which check failed. */
export class InputViolation extends AwsServiceError {
  constructor(
    message: string,
    readonly violation: InputViolationKind | undefined,
  ) {
    super('ValidationException', message, 400);
  }
}

/** Fails an input check: ValidationException (Organizations turns it into InvalidInputException). */
export const invalid = (violation: InputViolationKind | undefined, message: string): never => {
  throw new InputViolation(message, violation);
};

export const PATTERNS = {
  identityStoreId: /^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  resourceId: /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/,
  instanceArn: /^arn:aws(-[a-z]{1,5}){0,3}:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/,
  permissionSetArn: /^arn:aws(-[a-z]{1,5}){0,3}:sso:::permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/,
  accountId: /^\d{12}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  managedPolicyArn: /^arn:aws(-[a-z]{1,5}){0,3}:iam::aws:policy((\/[A-Za-z0-9.,+@=_-]+)*)\/([A-Za-z0-9.,+=@_-]+)$/,
  permissionSetName: /^[\w+=,.@-]{1,32}$/,
  policyName: /^[\w+=,.@-]{1,128}$/,
  policyPath: /^((\/[A-Za-z0-9.,+@=_-]+)*)\/$/,
  duration: /^P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/,
  ouId: /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/,
  rootId: /^r-[0-9a-z]{4,32}$/,
} as const;

function describe(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

export function optionalString(input: AwsInput, field: string, pattern?: RegExp): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return invalid(undefined, `1 validation error detected: Value ${describe(value)} at '${lowerFirst(field)}' failed to satisfy constraint: Member must be a string`);
  if (pattern && !pattern.test(value)) {
    return invalid('INVALID_PATTERN', `1 validation error detected: Value '${value}' at '${lowerFirst(field)}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`);
  }
  return value;
}

export function requiredString(input: AwsInput, field: string, pattern?: RegExp): string {
  const value = optionalString(input, field, pattern);
  if (value === undefined) return invalid('INPUT_REQUIRED', `1 validation error detected: Value null at '${lowerFirst(field)}' failed to satisfy constraint: Member must not be null`);
  return value;
}

export function optionalObject(input: AwsInput, field: string): AwsInput | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return invalid(undefined, `'${lowerFirst(field)}' must be a structure`);
  return value as AwsInput;
}

export function requiredObject(input: AwsInput, field: string): AwsInput {
  return optionalObject(input, field) ?? invalid('INPUT_REQUIRED', `1 validation error detected: Value null at '${lowerFirst(field)}' failed to satisfy constraint: Member must not be null`);
}

export function optionalList(input: AwsInput, field: string): readonly unknown[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return invalid(undefined, `'${lowerFirst(field)}' must be a list`);
  return value;
}

export function requiredEnum<T extends string>(input: AwsInput, field: string, values: readonly T[]): T {
  const value = requiredString(input, field);
  if (!(values as readonly string[]).includes(value)) {
    return invalid('INVALID_ENUM', `1 validation error detected: Value '${value}' at '${lowerFirst(field)}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`);
  }
  return value as T;
}

export function optionalEnum<T extends string>(input: AwsInput, field: string, values: readonly T[]): T | undefined {
  return input[field] === undefined || input[field] === null ? undefined : requiredEnum(input, field, values);
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** AWS answers timestamps in JSON 1.1 as epoch seconds (fractional). */
export const epochSeconds = (ms: number): number => ms / 1000;

/** Drops undefined and null members so the output looks like AWS's (absent, not null). */
export function compact<T extends Record<string, unknown>>(value: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}
