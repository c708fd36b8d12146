import type {
  CustomerManagedPolicyRef,
  GroupSpec,
  PermissionSetSpec,
  PermissionsBoundary,
  UserSpec,
} from '../model/entities.js';
import { presentText } from '../model/blank-text.js';
import { sameDuration } from '../model/iso-duration.js';
import { compareStrings, customerPolicyKey } from '../model/keys.js';
import { canonicalJson, canonicalPolicy } from './canonical-json.js';

// Field-by-field comparison of a desired spec with its live counterpart. Each returns the
// names of the fields that differ, in declaration order, which become `fields` on an update.

/** AWS drops empty optional strings and clears with a blank, so '', ' ' and absent are the same value. */
const opt = presentText;

export const USER_FIELDS = ['displayName', 'givenName', 'familyName', 'email', 'title'] as const;
export const GROUP_FIELDS = ['description'] as const;
export const PERMISSION_SET_FIELDS = [
  'description',
  'sessionDuration',
  'relayState',
  'managedPolicies',
  'customerManagedPolicies',
  'inlinePolicy',
  'permissionsBoundary',
  'tags',
] as const;
export type PermissionSetField = (typeof PERMISSION_SET_FIELDS)[number];

/**
 * Which changes need ProvisionPermissionSet to reach the accounts. AWS's model documents it for
 * the policy operations (Attach/DetachManagedPolicy, Put/DeleteInlinePolicy, customer managed
 * policy references, the boundary: "you will need to call ProvisionPermissionSet after this
 * action to apply the corresponding IAM policy updates to all assigned accounts"). For the
 * general settings (description, session duration, relay state: one console page, one
 * UpdatePermissionSet) AWS documents re-provisioning too: "Set session duration"
 * (https://docs.aws.amazon.com/singlesignon/latest/userguide/howtosessionduration.html) — "If the
 * permission set is provisioned in any AWS accounts, the names of the accounts appear under AWS
 * accounts to reprovision automatically" — and "Set relay state" ends with "choose Reprovision".
 * AWS keeps the provisioning status per permission set, not per field, so after an
 * UpdatePermissionSet of any of them the accounts report LATEST_PERMISSION_SET_NOT_PROVISIONED
 * until re-provisioned (the engine does the same: test/stores/identity-center/permission-set-fidelity.test.ts).
 * So a description-only change re-provisions: one apply settles it, instead of leaving accounts
 * that every later plan and drift would report as behind (issue 9).
 * Tags are metadata on the permission set itself (TagResource), never provisioned.
 */
export const isContentField = (field: string): boolean => field !== 'tags';

export function userFieldChanges(live: UserSpec, desired: UserSpec): string[] {
  return USER_FIELDS.filter((f) => opt(live[f]) !== opt(desired[f]));
}

export function groupFieldChanges(live: GroupSpec, desired: GroupSpec): string[] {
  return GROUP_FIELDS.filter((f) => opt(live[f]) !== opt(desired[f]));
}

const sortedUnique = (values: readonly string[]): string =>
  [...new Set(values)].sort(compareStrings).join('\n');

const customerPolicies = (refs: readonly CustomerManagedPolicyRef[]): string =>
  sortedUnique(refs.map((r) => customerPolicyKey({ name: r.name, path: r.path || '/' })));

const boundary = (b: PermissionsBoundary | undefined): string | undefined => {
  if (!b || (b.managedPolicyArn === undefined && b.customerManagedPolicy === undefined)) return undefined;
  return canonicalJson({
    managedPolicyArn: b.managedPolicyArn,
    customerManagedPolicy: b.customerManagedPolicy
      ? { name: b.customerManagedPolicy.name, path: b.customerManagedPolicy.path || '/' }
      : undefined,
  });
};

const FIELD_EQUALS: Readonly<Record<PermissionSetField, (a: PermissionSetSpec, b: PermissionSetSpec) => boolean>> = {
  description: (a, b) => opt(a.description) === opt(b.description),
  // By value: AWS may return PT60M for a PT1H the config wrote, or the other way round.
  sessionDuration: (a, b) => sameDuration(a.sessionDuration, b.sessionDuration),
  relayState: (a, b) => opt(a.relayState) === opt(b.relayState),
  managedPolicies: (a, b) => sortedUnique(a.managedPolicies) === sortedUnique(b.managedPolicies),
  customerManagedPolicies: (a, b) =>
    customerPolicies(a.customerManagedPolicies) === customerPolicies(b.customerManagedPolicies),
  inlinePolicy: (a, b) => canonicalPolicy(a.inlinePolicy) === canonicalPolicy(b.inlinePolicy),
  permissionsBoundary: (a, b) => boundary(a.permissionsBoundary) === boundary(b.permissionsBoundary),
  tags: (a, b) => canonicalJson(a.tags) === canonicalJson(b.tags),
};

export function permissionSetFieldChanges(live: PermissionSetSpec, desired: PermissionSetSpec): string[] {
  return PERMISSION_SET_FIELDS.filter((f) => !FIELD_EQUALS[f](live, desired));
}

// Live objects carry store ids; changes carry specs only (ids are the store's business).

export function userSpecOf(u: UserSpec): UserSpec {
  return {
    userName: u.userName,
    displayName: u.displayName,
    givenName: u.givenName,
    familyName: u.familyName,
    ...(opt(u.email) !== undefined ? { email: u.email } : {}),
    ...(opt(u.title) !== undefined ? { title: u.title } : {}),
  };
}

export function groupSpecOf(g: GroupSpec): GroupSpec {
  return { displayName: g.displayName, ...(opt(g.description) !== undefined ? { description: g.description } : {}) };
}

export function permissionSetSpecOf(p: PermissionSetSpec): PermissionSetSpec {
  return {
    name: p.name,
    ...(opt(p.description) !== undefined ? { description: p.description } : {}),
    sessionDuration: p.sessionDuration,
    ...(opt(p.relayState) !== undefined ? { relayState: p.relayState } : {}),
    managedPolicies: [...new Set(p.managedPolicies)].sort(compareStrings),
    customerManagedPolicies: [...p.customerManagedPolicies]
      .map((r) => ({ name: r.name, path: r.path || '/' }))
      .sort((x, y) => compareStrings(x.path, y.path) || compareStrings(x.name, y.name)),
    ...(canonicalPolicy(p.inlinePolicy) !== undefined ? { inlinePolicy: p.inlinePolicy } : {}),
    ...(boundary(p.permissionsBoundary) !== undefined ? { permissionsBoundary: p.permissionsBoundary } : {}),
    tags: { ...p.tags },
  };
}
