import type { Settings } from '../model/desired.js';
import type { GatehouseRoot } from '../model/generated/gatehouse.js';
import { CONTROL_TOWER_GROUPS, CONTROL_TOWER_PERMISSION_SETS } from './control-tower-defaults.js';

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  identitySource: 'internal',
  ownership: { users: 'prune', groups: 'prune', memberships: 'prune', permissionSets: 'prune', assignments: 'prune' },
  // By default Gatehouse leaves alone what AWS Control Tower creates (control-tower-defaults.ts).
  // A list in the settings replaces the default list; `[]` protects nothing.
  ignore: { users: [], groups: CONTROL_TOWER_GROUPS, permissionSets: CONTROL_TOWER_PERMISSION_SETS, assignmentPrincipals: [] },
  safety: { maxDeletes: 25, maxDeleteFraction: 0.25, expiryWarning: '14d' },
  limits: { maxPoliciesPerPermissionSet: 10, maxFileBytes: DEFAULT_MAX_FILE_BYTES },
};

/** Settings with every default filled in; `root` is the schema-valid root file (or nothing). */
export function normalizeSettings(root: GatehouseRoot | undefined): Settings {
  if (!root) return DEFAULT_SETTINGS;
  const d = DEFAULT_SETTINGS;
  const instance = root.instance ?? {};
  return {
    version: 1,
    ...(instance.region !== undefined && { region: instance.region }),
    identitySource: instance.identitySource ?? d.identitySource,
    ...(instance.ssoStartUrl !== undefined && { ssoStartUrl: instance.ssoStartUrl }),
    ...(instance.instanceArn !== undefined && { instanceArn: instance.instanceArn }),
    ...(instance.identityStoreId !== undefined && { identityStoreId: instance.identityStoreId }),
    ownership: { ...d.ownership, ...root.ownership },
    ignore: {
      users: root.ignore?.users ?? d.ignore.users,
      groups: root.ignore?.groups ?? d.ignore.groups,
      permissionSets: root.ignore?.permissionSets ?? d.ignore.permissionSets,
      assignmentPrincipals: root.ignore?.assignmentPrincipals ?? d.ignore.assignmentPrincipals,
    },
    safety: { ...d.safety, ...root.safety },
    limits: { ...d.limits, ...root.limits },
    ...(root.organization !== undefined && { organizationFile: root.organization }),
    ...(root.state !== undefined && { stateUrl: root.state }),
  };
}
