// What AWS Control Tower creates in IAM Identity Center when it sets up a landing zone, and so
// what Gatehouse leaves alone unless the settings say otherwise. Source: "IAM Identity Center
// Groups for AWS Control Tower", https://docs.aws.amazon.com/controltower/latest/userguide/sso-groups.html
// (groups AWSAccountFactory, AWSServiceCatalogAdmins, AWSControlTowerAdmins,
// AWSSecurityAuditPowerUsers, AWSSecurityAuditors, AWSLogArchiveAdmins, AWSLogArchiveViewers,
// AWSAuditAccountAdmins; permission sets AWSAdministratorAccess, AWSPowerUserAccess,
// AWSReadOnlyAccess, AWSOrganizationsFullAccess, AWSServiceCatalogAdminFullAccess,
// AWSServiceCatalogEndUserAccess). The old default `AWSReserved*` protected nothing: that
// prefix names the IAM roles Identity Center creates in member accounts, not permission sets.

export const CONTROL_TOWER_PERMISSION_SETS: readonly string[] = [
  'AWSAdministratorAccess',
  'AWSOrganizationsFullAccess',
  'AWSPowerUserAccess',
  'AWSReadOnlyAccess',
  'AWSServiceCatalog*',
];

export const CONTROL_TOWER_GROUPS: readonly string[] = [
  'AWSAccountFactory',
  'AWSAuditAccountAdmins',
  'AWSControlTower*',
  'AWSLogArchive*',
  'AWSSecurityAudit*',
  'AWSServiceCatalogAdmins',
];
