import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Change } from '../diff/change.js';
import type { ExpandedAssignment } from '../expand/expand-assignments.js';
import type { SourceRange } from '../model/desired.js';
import { assignmentKey, permissionSetKey } from '../model/keys.js';
import type { CallerRestrictions } from '../model/live.js';

// Changes the store's caller may not make (CallerRestrictions, told by the store with its
// snapshot) become plan errors where the config asks for them, so apply never starts what AWS
// would refuse half-way (issue 9: a delegated administrator and the management account).

export interface RestrictionInput {
  readonly changes: readonly Change[];
  readonly restrictions: CallerRestrictions | undefined;
  /** Expanded tuples (live and expired rules) with the rule that grants each. */
  readonly tuples: readonly ExpandedAssignment[];
  readonly sources: ReadonlyMap<string, SourceRange>;
}

export function checkRestrictions(input: RestrictionInput): Diagnostic[] {
  const { restrictions } = input;
  if (!restrictions || (restrictions.accounts.length === 0 && restrictions.permissionSets.length === 0)) return [];
  const accounts = new Map(restrictions.accounts.map((a) => [a.accountId, a.reason]));
  const permissionSets = new Map(restrictions.permissionSets.map((p) => [p.name, p.reason]));
  const ruleOf = new Map(input.tuples.map((t) => [assignmentKey(t), t.source]));
  const psSource = (name: string): SourceRange | undefined => input.sources.get(permissionSetKey(name));
  const out: Diagnostic[] = [];
  const refuse = (what: string, reason: string, source: SourceRange | undefined, hint: string): void => {
    out.push({ severity: 'error', rule: 'not-permitted', message: `cannot ${what}: ${reason}; ${hint}`, ...(source ? { source } : {}) });
  };
  const fromManagement = 'run Gatehouse with credentials of the management account';
  const refused = new Set<string>();
  for (const change of input.changes) {
    switch (change.kind) {
      case 'assignment.create':
      case 'assignment.delete': {
        const reason = accounts.get(change.assignment.accountId);
        if (reason === undefined) break;
        const a = change.assignment;
        const verb = change.kind === 'assignment.create' ? 'assign' : 'remove the assignment of';
        const source = ruleOf.get(assignmentKey(a));
        refused.add(a.permissionSetName);
        refuse(
          `${verb} ${a.permissionSetName} to ${a.principalType === 'USER' ? 'user' : 'group'} ${a.principalName} in account ${a.accountId}`,
          reason,
          source,
          source ? `remove the account from this assignment, or ${fromManagement}` : `declare it in the config or in ignore.assignmentPrincipals, or ${fromManagement}`,
        );
        break;
      }
      case 'permissionSet.update': {
        const reason = permissionSets.get(change.before.name);
        if (reason !== undefined) refused.add(change.before.name);
        if (reason !== undefined) refuse(`change permission set ${change.before.name} (${change.fields.join(', ')})`, reason, psSource(change.after.name), fromManagement);
        break;
      }
      case 'permissionSet.delete': {
        const reason = permissionSets.get(change.before.name);
        if (reason !== undefined) refuse(`delete permission set ${change.before.name}`, reason, change.renamedTo !== undefined ? psSource(change.renamedTo) : undefined, fromManagement);
        break;
      }
      default:
        break;
    }
  }
  // A provisioning is refused too, but said only when nothing above already explains it (an
  // update or a new assignment is what makes a permission set need provisioning).
  for (const change of input.changes) {
    if (change.kind !== 'permissionSet.provision' || refused.has(change.permissionSetName)) continue;
    const reason = accounts.get(change.accountId);
    if (reason !== undefined) refuse(`provision ${change.permissionSetName} to account ${change.accountId}`, reason, psSource(change.permissionSetName), fromManagement);
  }
  return out;
}
