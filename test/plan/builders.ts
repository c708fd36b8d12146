import type { AssignmentRule, DesiredState, Settings, SourceRange } from '../../src/model/desired.js';
import type {
  Account,
  GroupSpec,
  Organization,
  PermissionSetSpec,
  UserSpec,
} from '../../src/model/entities.js';
import type {
  LiveAssignment,
  LiveGroup,
  LiveMembership,
  LivePermissionSet,
  LiveProvisioning,
  LiveState,
  LiveUser,
} from '../../src/model/live.js';
import { managedPolicyArn } from '../../src/model/keys.js';

// Small in-memory builders for desired and live states. Every builder takes overrides, so a
// test states only what it is about. Live ids are derived from names, deterministically.

export const defaultSettings: Settings = {
  version: 1,
  region: 'eu-west-1',
  identitySource: 'internal',
  ownership: { users: 'prune', groups: 'prune', memberships: 'prune', permissionSets: 'prune', assignments: 'prune' },
  ignore: { users: [], groups: [], permissionSets: [], assignmentPrincipals: [] },
  safety: { maxDeletes: 25, maxDeleteFraction: 0.25 },
  limits: { maxPoliciesPerPermissionSet: 20, maxFileBytes: 5 * 1024 * 1024 },
};

export function settings(overrides: Partial<Omit<Settings, 'ownership' | 'ignore'>> & {
  ownership?: Partial<Settings['ownership']>;
  ignore?: Partial<Settings['ignore']>;
} = {}): Settings {
  return {
    ...defaultSettings,
    ...overrides,
    ownership: { ...defaultSettings.ownership, ...overrides.ownership },
    ignore: { ...defaultSettings.ignore, ...overrides.ignore },
  };
}

export const at = (file: string, line: number, col = 3): SourceRange => ({ file, line, col });

export function account(id: string, name: string, ouPath = '/Root', overrides: Partial<Account> = {}): Account {
  return { id, name, ouPath, tags: {}, ...overrides };
}

/** An organisation whose OUs are derived from the accounts' paths (plus any extra paths). */
export function organization(
  accounts: readonly Account[],
  options: { managementAccountId?: string; extraOuPaths?: readonly string[] } = {},
): Organization {
  const paths = new Set<string>(options.extraOuPaths ?? []);
  for (const a of accounts) {
    const parts = a.ouPath.split('/').filter(Boolean);
    for (let n = 2; n <= parts.length; n++) paths.add(`/${parts.slice(0, n).join('/')}`);
  }
  const ous = [...paths].sort().map((path, i) => ({
    id: `ou-test-${String(i).padStart(8, '0')}`,
    path,
    name: path.split('/').pop() ?? path,
  }));
  return { managementAccountId: options.managementAccountId ?? accounts[0]?.id ?? '000000000000', ous, accounts };
}

export function user(userName: string, overrides: Partial<UserSpec> = {}): UserSpec {
  const given = userName.split(/[@.]/)[0] ?? userName;
  return { userName, displayName: `${given} Example`, givenName: given, familyName: 'Example', ...overrides };
}

export function group(displayName: string, overrides: Partial<GroupSpec> = {}): GroupSpec {
  return { displayName, ...overrides };
}

export function permissionSet(name: string, overrides: Partial<PermissionSetSpec> = {}): PermissionSetSpec {
  return {
    name,
    sessionDuration: 'PT1H',
    managedPolicies: [managedPolicyArn('ReadOnlyAccess')],
    customerManagedPolicies: [],
    tags: {},
    ...overrides,
  };
}

export function rule(overrides: Partial<AssignmentRule> & { source?: SourceRange } = {}): AssignmentRule {
  return {
    users: [],
    groups: [],
    permissionSets: [],
    accounts: [],
    ous: [],
    accountTags: {},
    exclude: { accounts: [], ous: [] },
    source: at('assignments.yaml', 1),
    ...overrides,
  };
}

export function desiredState(overrides: Partial<DesiredState> = {}): DesiredState {
  return {
    settings: defaultSettings,
    users: [],
    groups: [],
    memberships: [],
    permissionSets: [],
    permissionSetRenames: {},
    assignments: [],
    guardrails: [],
    referencedUsers: [],
    referencedGroups: [],
    sources: new Map(),
    ...overrides,
  };
}

// Live ids in AWS's shapes, derived from names so snapshots are reproducible.
export const userId = (userName: string): string => `u-${userName}`;
export const groupId = (name: string): string => `g-${name}`;
export const permissionSetArn = (name: string): string => `arn:aws:sso:::permissionSet/ssoins-test/ps-${name}`;

export const liveUser = (u: UserSpec): LiveUser => ({ ...u, id: userId(u.userName) });
export const liveGroup = (g: GroupSpec): LiveGroup => ({ ...g, id: groupId(g.displayName) });
export const livePermissionSet = (p: PermissionSetSpec): LivePermissionSet => ({ ...p, arn: permissionSetArn(p.name) });

export function liveMembership(groupName: string, userName: string): LiveMembership {
  return {
    membershipId: `m-${groupName}-${userName}`,
    groupId: groupId(groupName),
    userId: userId(userName),
    groupName,
    userName,
  };
}

export function liveAssignment(
  principalType: 'USER' | 'GROUP',
  principalName: string | undefined,
  permissionSetName: string,
  accountId: string,
  principalIdOverride?: string,
): LiveAssignment {
  const principalId =
    principalIdOverride ?? (principalType === 'USER' ? userId(principalName ?? 'gone') : groupId(principalName ?? 'gone'));
  return {
    principalType,
    principalId,
    ...(principalName !== undefined ? { principalName } : {}),
    permissionSetArn: permissionSetArn(permissionSetName),
    permissionSetName,
    accountId,
  };
}

export function provisioned(
  permissionSetName: string,
  accountId: string,
  status: LiveProvisioning['status'] = 'LATEST_PERMISSION_SET_PROVISIONED',
): LiveProvisioning {
  return { permissionSetName, accountId, status };
}

export function liveState(overrides: Partial<LiveState> = {}): LiveState {
  return {
    instanceArn: 'arn:aws:sso:::instance/ssoins-test',
    identityStoreId: 'd-test000000',
    organization: organization([account('111111111111', 'management')]),
    users: [],
    groups: [],
    memberships: [],
    permissionSets: [],
    assignments: [],
    provisioning: [],
    ...overrides,
  };
}

/** Live state that already holds everything `desired` declares (specs only; no assignments). */
export function liveMatching(desired: DesiredState, overrides: Partial<LiveState> = {}): LiveState {
  return liveState({
    users: desired.users.map(liveUser),
    groups: desired.groups.map(liveGroup),
    memberships: desired.memberships.map((m) => liveMembership(m.groupName, m.userName)),
    permissionSets: desired.permissionSets.map(livePermissionSet),
    ...overrides,
  });
}
