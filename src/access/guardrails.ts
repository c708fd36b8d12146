import type { Diagnostic, Severity } from '../diagnostics/diagnostic.js';
import type { ExpandedAssignment } from '../expand/expand-assignments.js';
import { accountsInOu, indexOrganization, resolveAccount } from '../expand/organization-index.js';
import type { GuardrailRule, SourceRange } from '../model/desired.js';
import type { Membership, Organization } from '../model/entities.js';

// Guardrails: rules over the desired state's effective access, checked before anything is
// applied. A `deny` matches an assignment when every condition it lists holds; `users` is
// matched through group membership, because "alice must not have Admin in prod" is about
// alice, however she gets it.

interface DenySpec {
  readonly principalTypes?: readonly ('USER' | 'GROUP')[];
  readonly users?: readonly string[];
  readonly groups?: readonly string[];
  readonly permissionSets?: readonly string[];
  readonly accounts?: readonly string[];
  readonly ous?: readonly string[];
  readonly accountTags?: Readonly<Record<string, string>>;
}

interface Compiled {
  readonly rule: GuardrailRule;
  readonly severity: Severity;
  readonly matches: (a: ExpandedAssignment) => readonly string[] | undefined;
}

const EXAMPLES_PER_DIAGNOSTIC = 3;

export function checkGuardrails(input: {
  readonly guardrails: readonly GuardrailRule[];
  readonly assignments: readonly ExpandedAssignment[];
  readonly memberships: readonly Membership[];
  readonly organization: Organization;
}): Diagnostic[] {
  if (input.guardrails.length === 0) return [];
  const index = indexOrganization(input.organization);
  const members = new Map<string, string[]>();
  for (const m of input.memberships) members.set(m.groupName, [...(members.get(m.groupName) ?? []), m.userName]);
  const accountName = new Map(input.organization.accounts.map((a) => [a.id, a.name]));

  const compiled = input.guardrails.map((rule): Compiled => {
    const deny = (rule.spec.deny ?? {}) as DenySpec;
    const severity: Severity = rule.spec.severity === 'warning' ? 'warning' : 'error';
    const accountIds = deny.accounts && new Set(deny.accounts.map((ref) => resolveAccount(index, ref)?.id ?? ref));
    const ouAccounts = deny.ous && new Set(deny.ous.flatMap((path) => accountsInOu(index, path, true)));
    const tags = deny.accountTags && Object.entries(deny.accountTags);
    const accountTags = new Map(input.organization.accounts.map((a) => [a.id, a.tags]));
    const users = deny.users && new Set(deny.users);
    return {
      rule,
      severity,
      matches: (a) => {
        if (deny.principalTypes && !deny.principalTypes.includes(a.principalType)) return undefined;
        if (deny.groups && !(a.principalType === 'GROUP' && deny.groups.includes(a.principalName))) return undefined;
        if (deny.permissionSets && !deny.permissionSets.includes(a.permissionSetName)) return undefined;
        if (accountIds && !accountIds.has(a.accountId)) return undefined;
        if (ouAccounts && !ouAccounts.has(a.accountId)) return undefined;
        if (tags && !tags.every(([k, v]) => accountTags.get(a.accountId)?.[k] === v)) return undefined;
        if (!users) return [];
        const affected = a.principalType === 'USER' ? [a.principalName] : (members.get(a.principalName) ?? []);
        const hit = affected.filter((u) => users.has(u));
        return hit.length > 0 ? hit : undefined;
      },
    };
  });

  // One diagnostic per (guardrail, assignment rule), with a few examples: a broad rule that
  // breaks a guardrail in 500 accounts is one mistake, not 500.
  const found = new Map<string, { guardrail: Compiled; source: SourceRange; examples: string[]; count: number }>();
  for (const a of input.assignments) {
    for (const g of compiled) {
      const users = g.matches(a);
      if (!users) continue;
      const key = `${g.rule.name}\0${a.source.file}:${a.source.line}:${a.source.col}`;
      const entry = found.get(key) ?? { guardrail: g, source: a.source, examples: [], count: 0 };
      entry.count++;
      if (entry.examples.length < EXAMPLES_PER_DIAGNOSTIC) {
        const via = users.length > 0 && a.principalType === 'GROUP' ? ` (${users.join(', ')} through the group)` : '';
        entry.examples.push(`${a.principalType === 'USER' ? 'user' : 'group'} ${a.principalName} → ${a.permissionSetName} in ${accountName.get(a.accountId) ?? a.accountId}${via}`);
      }
      found.set(key, entry);
    }
  }
  return [...found.values()].map(({ guardrail, source, examples, count }) => ({
    severity: guardrail.severity,
    rule: 'guardrail',
    message:
      `guardrail \`${guardrail.rule.name}\` denies ${examples.join('; ')}${count > examples.length ? ` and ${count - examples.length} more` : ''}` +
      `${guardrail.rule.description ? ` — ${guardrail.rule.description}` : ''}; change this assignment or the guardrail at ${guardrail.rule.source.file}:${guardrail.rule.source.line}`,
    source,
  }));
}
