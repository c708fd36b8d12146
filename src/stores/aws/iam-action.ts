import type { AwsService } from '../aws-caller.js';

// An AccessDeniedException names no permission; the IAM action is the service's prefix and the
// operation name, so the message can say exactly what to add to the role's policy.

const IAM_PREFIX: Readonly<Record<AwsService, string>> = {
  'sso-admin': 'sso',
  identitystore: 'identitystore',
  organizations: 'organizations',
};

export const iamAction = (service: AwsService, operation: string): string => `${IAM_PREFIX[service]}:${operation}`;

export function accessDeniedMessage(service: AwsService, operation: string, awsMessage: string): string {
  const action = iamAction(service, operation);
  return `access denied calling ${action}: the credentials in use need the IAM permission ${action} (AWS said: ${awsMessage || 'no details'})`;
}
