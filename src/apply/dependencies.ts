import { changeTarget, type Change } from '../diff/change.js';
import { groupKey, permissionSetKey, principalKey, userKey } from '../model/keys.js';

// What each change needs from the others in the same plan. The waves already order them; this
// decides what a failure stops: a change runs unless a change it needs ended other than applied.
// Revocations (assignment deletions, membership removals) need nothing, so an unrelated failed
// create can never leave someone in the admin group they were being removed from.

/** For each change (by index), the indices of the changes it needs. */
export function dependenciesOf(changes: readonly Change[]): readonly (readonly number[])[] {
  const byTarget = new Map<string, number>();
  // Removals grouped by what they free, for the deletions that must wait for them.
  const removalsOfPrincipal = new Map<string, number[]>();
  const assignmentDeletesOfPs = new Map<string, number[]>();
  const renamedTo = new Map<string, string>();
  const push = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  };
  changes.forEach((c, i) => {
    byTarget.set(changeTarget(c), i);
    if (c.kind === 'membership.remove') {
      push(removalsOfPrincipal, userKey(c.userName), i);
      push(removalsOfPrincipal, groupKey(c.groupName), i);
    } else if (c.kind === 'assignment.delete') {
      push(removalsOfPrincipal, principalKey(c.assignment.principalType, c.assignment.principalName), i);
      push(assignmentDeletesOfPs, c.assignment.permissionSetName, i);
    } else if (c.kind === 'permissionSet.delete' && c.renamedTo !== undefined) {
      renamedTo.set(c.before.name, c.renamedTo);
    }
  });
  const found = (...keys: string[]): number[] => keys.flatMap((k) => (byTarget.has(k) ? [byTarget.get(k)!] : []));

  return changes.map((c): readonly number[] => {
    switch (c.kind) {
      case 'membership.add':
        return found(userKey(c.userName), groupKey(c.groupName));
      case 'assignment.create':
        return found(principalKey(c.assignment.principalType, c.assignment.principalName), permissionSetKey(c.assignment.permissionSetName));
      case 'permissionSet.provision':
        return found(permissionSetKey(c.permissionSetName));
      case 'assignment.delete': {
        // Moving assignments off a renamed permission set: drop the old ones only once the new
        // permission set exists, or the rename would revoke access it meant to keep.
        const next = c.cause === 'renamed' ? renamedTo.get(c.assignment.permissionSetName) : undefined;
        return next === undefined ? [] : found(permissionSetKey(next));
      }
      case 'permissionSet.delete':
        // Identity Center refuses to delete a permission set that still has assignments.
        return assignmentDeletesOfPs.get(c.before.name) ?? [];
      case 'user.delete':
        return removalsOfPrincipal.get(userKey(c.before.userName)) ?? [];
      case 'group.delete':
        return removalsOfPrincipal.get(groupKey(c.before.displayName)) ?? [];
      default:
        return [];
    }
  });
}
