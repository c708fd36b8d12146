// Ways a principal can raise its own (or others') permissions, each a set of actions that
// together suffice. The list follows the published research:
// - Spencer Gietzen, Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and
//   Mitigation" (2018), https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
//   (its 21 methods: new policy versions, access keys, login profiles, attaching and putting
//   policies, group membership, trust policies, and iam:PassRole with a service that runs code);
// - Bishop Fox, "iam-vulnerable" (Seth Art, 2021), https://github.com/BishopFox/iam-vulnerable
//   (31 paths, adding SageMaker notebooks, SSM, CodeBuild, ECS and EC2 Instance Connect);
// - AWS IAM Identity Center: whoever can change permission sets or create account assignments
//   grants themselves any permission set (sso:* permissions management, identitystore group
//   membership), from AWS's own guidance on delegating Identity Center administration.
// Besides these named methods, any IAM or Identity Center action the catalogue classes as
// "Permissions management" counts (see classify.ts).

export interface EscalationMethod {
  readonly name: string;
  /** All of these together. */
  readonly actions: readonly string[];
  readonly source: 'Rhino Security Labs' | 'Bishop Fox iam-vulnerable' | 'AWS IAM Identity Center';
}

const rhino = 'Rhino Security Labs' as const;
const bishop = 'Bishop Fox iam-vulnerable' as const;

export const ESCALATION_METHODS: readonly EscalationMethod[] = [
  { name: 'create a new default version of a managed policy', actions: ['iam:CreatePolicyVersion'], source: rhino },
  { name: 'switch a managed policy to another version', actions: ['iam:SetDefaultPolicyVersion'], source: rhino },
  { name: 'create access keys for another user', actions: ['iam:CreateAccessKey'], source: rhino },
  { name: 'create a console password for another user', actions: ['iam:CreateLoginProfile'], source: rhino },
  { name: 'change another user’s console password', actions: ['iam:UpdateLoginProfile'], source: rhino },
  { name: 'attach a policy to a user', actions: ['iam:AttachUserPolicy'], source: rhino },
  { name: 'attach a policy to a group', actions: ['iam:AttachGroupPolicy'], source: rhino },
  { name: 'attach a policy to a role', actions: ['iam:AttachRolePolicy'], source: rhino },
  { name: 'write a user’s inline policy', actions: ['iam:PutUserPolicy'], source: rhino },
  { name: 'write a group’s inline policy', actions: ['iam:PutGroupPolicy'], source: rhino },
  { name: 'write a role’s inline policy', actions: ['iam:PutRolePolicy'], source: rhino },
  { name: 'add a user to a group', actions: ['iam:AddUserToGroup'], source: rhino },
  { name: 'rewrite a role’s trust policy and assume it', actions: ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'], source: rhino },
  { name: 'pass a role to a new EC2 instance', actions: ['iam:PassRole', 'ec2:RunInstances'], source: rhino },
  { name: 'pass a role to a new Lambda function and invoke it', actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], source: rhino },
  { name: 'pass a role to a new Lambda function behind an event source', actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], source: rhino },
  { name: 'replace the code of an existing Lambda function', actions: ['lambda:UpdateFunctionCode'], source: rhino },
  { name: 'pass a role to a Glue development endpoint', actions: ['iam:PassRole', 'glue:CreateDevEndpoint'], source: rhino },
  { name: 'take over an existing Glue development endpoint', actions: ['glue:UpdateDevEndpoint'], source: rhino },
  { name: 'pass a role to a CloudFormation stack', actions: ['iam:PassRole', 'cloudformation:CreateStack'], source: rhino },
  { name: 'pass a role to a Data Pipeline', actions: ['iam:PassRole', 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'], source: rhino },
  { name: 'pass a role to a SageMaker notebook', actions: ['iam:PassRole', 'sagemaker:CreateNotebookInstance', 'sagemaker:CreatePresignedNotebookInstanceUrl'], source: bishop },
  { name: 'open an existing SageMaker notebook', actions: ['sagemaker:CreatePresignedNotebookInstanceUrl'], source: bishop },
  { name: 'pass a role to a CodeBuild project', actions: ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuild'], source: bishop },
  { name: 'pass a role to an ECS task', actions: ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'], source: bishop },
  { name: 'run commands on instances through SSM', actions: ['ssm:SendCommand'], source: bishop },
  { name: 'open a shell on instances through SSM', actions: ['ssm:StartSession'], source: bishop },
  { name: 'push an SSH key to an instance', actions: ['ec2-instance-connect:SendSSHPublicKey'], source: bishop },
  { name: 'assume any role', actions: ['sts:AssumeRole'], source: rhino },
  { name: 'change what a permission set grants', actions: ['sso:PutInlinePolicyToPermissionSet'], source: 'AWS IAM Identity Center' },
  { name: 'attach a managed policy to a permission set', actions: ['sso:AttachManagedPolicyToPermissionSet'], source: 'AWS IAM Identity Center' },
  { name: 'assign any permission set', actions: ['sso:CreateAccountAssignment'], source: 'AWS IAM Identity Center' },
  { name: 'add anyone to any Identity Center group', actions: ['identitystore:CreateGroupMembership'], source: 'AWS IAM Identity Center' },
];

/** Services whose "Permissions management" actions change who may do what. */
export const PERMISSION_SERVICES: readonly string[] = ['iam', 'sso', 'identitystore', 'organizations'];
