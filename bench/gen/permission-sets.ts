import type { GenPermissionSet } from './model.js';
import type { Team } from './people.js';
import type { Random } from './random.js';
import type { SizeProfile } from './sizes.js';
import { NameRegistry } from './unique-names.js';

// Permission sets as real organisations write them: AWS managed job-function sets for
// everyone, per business unit developer/deployer/data sets with customer managed policies,
// boundaries and an inline policy, and per team operator sets for the biggest teams.

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const statement = (sid: string, effect: 'Allow' | 'Deny', actions: readonly string[], resource: string | readonly string[], condition?: Record<string, unknown>) => ({
  Sid: sid,
  Effect: effect,
  Action: actions,
  Resource: resource,
  ...(condition && { Condition: condition }),
});

const policy = (...statements: ReturnType<typeof statement>[]) => ({ Version: '2012-10-17', Statement: statements });

const DENY_LEAVE_ORG = statement('DenyLeaveOrganization', 'Deny', ['organizations:LeaveOrganization'], '*');

interface Standard {
  readonly name: string;
  readonly description: string;
  readonly sessionDuration: string;
  readonly managedPolicies: readonly string[];
  readonly inlinePolicy?: Readonly<Record<string, unknown>>;
}

const STANDARD: readonly Standard[] = [
  { name: 'AdministratorAccess', description: 'Full access to AWS services and resources', sessionDuration: 'PT1H', managedPolicies: ['AdministratorAccess'] },
  { name: 'PowerUserAccess', description: 'Full access except IAM and Organizations', sessionDuration: 'PT4H', managedPolicies: ['PowerUserAccess'] },
  { name: 'ReadOnlyAccess', description: 'Read-only access to all services', sessionDuration: 'PT8H', managedPolicies: ['ReadOnlyAccess'] },
  { name: 'ViewOnlyAccess', description: 'View resources and basic metadata, no data', sessionDuration: 'PT12H', managedPolicies: ['job-function/ViewOnlyAccess'] },
  { name: 'Billing', description: 'Billing and cost management', sessionDuration: 'PT8H', managedPolicies: ['job-function/Billing', 'AWSBillingReadOnlyAccess'] },
  { name: 'SecurityAudit', description: 'Security audit: read security configuration', sessionDuration: 'PT8H', managedPolicies: ['SecurityAudit', 'job-function/ViewOnlyAccess'] },
  { name: 'DatabaseAdministrator', description: 'Database administration (RDS, DynamoDB, Redshift)', sessionDuration: 'PT4H', managedPolicies: ['job-function/DatabaseAdministrator'] },
  { name: 'NetworkAdministrator', description: 'Network administration (VPC, Route 53, Direct Connect)', sessionDuration: 'PT4H', managedPolicies: ['job-function/NetworkAdministrator'] },
  { name: 'SystemAdministrator', description: 'System administration for production support', sessionDuration: 'PT2H', managedPolicies: ['job-function/SystemAdministrator'] },
  { name: 'DataScientist', description: 'Data science tooling (SageMaker, Athena, Glue)', sessionDuration: 'PT8H', managedPolicies: ['job-function/DataScientist'] },
  { name: 'SupportUser', description: 'Troubleshooting and AWS Support cases', sessionDuration: 'PT4H', managedPolicies: ['job-function/SupportUser', 'AWSSupportAccess'] },
  {
    name: 'BreakGlass',
    description: 'Emergency administrator; every session is reviewed',
    sessionDuration: 'PT1H',
    managedPolicies: ['AdministratorAccess'],
    inlinePolicy: policy(DENY_LEAVE_ORG, statement('DenyDisableCloudTrail', 'Deny', ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'], '*')),
  },
  {
    name: 'IncidentResponse',
    description: 'Incident response: read everything, isolate instances',
    sessionDuration: 'PT2H',
    managedPolicies: ['SecurityAudit', 'ReadOnlyAccess'],
    inlinePolicy: policy(
      statement('IsolateInstances', 'Allow', ['ec2:ModifyInstanceAttribute', 'ec2:CreateSnapshot', 'ec2:CreateTags'], '*'),
      statement('ReadLogs', 'Allow', ['logs:StartQuery', 'logs:GetQueryResults'], '*'),
    ),
  },
];

export const STANDARD_PERMISSION_SETS: readonly string[] = STANDARD.map((s) => s.name);

export const businessUnitSets = (bu: string) => ({
  developer: `${capitalise(bu)}-Developer`,
  deployer: `${capitalise(bu)}-Deployer`,
  dataReader: `${capitalise(bu)}-DataReader`,
});

export const teamOperatorSet = (team: string): string => `${team}-operator`;

export interface PermissionSetCatalog {
  readonly permissionSets: GenPermissionSet[];
  /** Teams that got their own operator permission set. */
  readonly operatorTeams: ReadonlySet<string>;
}

export function generatePermissionSets(
  profile: SizeProfile,
  businessUnits: readonly string[],
  teams: readonly Team[],
  random: Random,
): PermissionSetCatalog {
  const names = new NameRegistry();
  const sets: GenPermissionSet[] = [];
  const add = (ps: GenPermissionSet): void => {
    if (ps.name.length > 32 || !/^[\w+=,.@-]+$/.test(ps.name)) throw new Error(`invalid permission set name ${ps.name}`);
    names.require(ps.name);
    sets.push(ps);
  };
  for (const s of STANDARD) {
    add({
      name: s.name,
      description: s.description,
      sessionDuration: s.sessionDuration,
      ...(s.name === 'AdministratorAccess' && { relayState: 'https://console.aws.amazon.com/console/home' }),
      managedPolicies: s.managedPolicies,
      customerManagedPolicies: s.name === 'PowerUserAccess' ? [{ name: 'acme-deny-iam-users' }] : [],
      ...(s.inlinePolicy && { inlinePolicy: s.inlinePolicy }),
      tags: { owner: 'platform', tier: s.name === 'AdministratorAccess' || s.name === 'BreakGlass' ? 'privileged' : 'standard' },
    });
  }
  for (const bu of businessUnits) {
    const ps = businessUnitSets(bu);
    const tags = { owner: bu, 'managed-by': 'gatehouse' };
    add({
      name: ps.developer,
      description: `Developers of ${bu}: power user within the developer boundary`,
      sessionDuration: 'PT8H',
      managedPolicies: ['PowerUserAccess'],
      customerManagedPolicies: [{ name: 'acme-deny-billing' }, { name: `${bu}-developer-extras`, path: `/bu/${bu}/` }],
      inlinePolicy: policy(
        statement('UnitBuckets', 'Allow', ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], [`arn:aws:s3:::acme-${bu}-*`, `arn:aws:s3:::acme-${bu}-*/*`]),
        DENY_LEAVE_ORG,
      ),
      permissionsBoundary: { customerManagedPolicy: { name: 'acme-developer-boundary', path: '/boundaries/' } },
      tags,
    });
    add({
      name: ps.deployer,
      description: `Deployment pipelines and release managers of ${bu}`,
      sessionDuration: 'PT2H',
      managedPolicies: ['AWSCloudFormationFullAccess', 'AmazonEC2ContainerRegistryPowerUser'],
      customerManagedPolicies: [{ name: `${bu}-deploy`, path: `/bu/${bu}/` }],
      inlinePolicy: policy(
        statement('PassDeployRoles', 'Allow', ['iam:PassRole'], `arn:aws:iam::*:role/${bu}-deploy-*`, { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } }),
      ),
      permissionsBoundary: { managedPolicy: 'PowerUserAccess' },
      tags,
    });
    add({
      name: ps.dataReader,
      description: `Read access to ${bu} data lakes`,
      sessionDuration: 'PT4H',
      managedPolicies: ['AmazonS3ReadOnlyAccess', 'AmazonAthenaFullAccess'],
      customerManagedPolicies: [],
      inlinePolicy: policy(
        statement('DecryptUnitData', 'Allow', ['kms:Decrypt', 'kms:DescribeKey'], '*', { StringEquals: { 'aws:ResourceTag/business-unit': bu } }),
      ),
      tags,
    });
  }
  const operatorTeams = new Set<string>();
  const byRank = [...teams].sort((a, b) => a.rank - b.rank);
  for (const team of byRank) {
    if (sets.length >= profile.permissionSets) break;
    operatorTeams.add(team.name);
    add({
      name: teamOperatorSet(team.name),
      description: `Operators of team ${team.name}: sessions and restarts on the team's instances`,
      sessionDuration: random.pick(['PT1H', 'PT2H', 'PT4H', 'PT8H', 'PT12H']),
      managedPolicies: ['ReadOnlyAccess'],
      customerManagedPolicies: random.chance(0.5) ? [{ name: `${team.name}-operator` }] : [],
      inlinePolicy: policy(
        statement('TeamSessions', 'Allow', ['ssm:StartSession', 'ssm:TerminateSession', 'ec2:RebootInstances'], '*', {
          StringEquals: { 'aws:ResourceTag/team': team.name },
        }),
      ),
      ...(random.chance(0.3) && { permissionsBoundary: { customerManagedPolicy: { name: 'acme-operator-boundary' } } }),
      tags: { owner: team.name, 'cost-center': team.businessUnit },
    });
  }
  if (sets.length !== profile.permissionSets) {
    throw new Error(`generated ${sets.length} permission sets, wanted ${profile.permissionSets}: not enough teams`);
  }
  return { permissionSets: sets, operatorTeams };
}
