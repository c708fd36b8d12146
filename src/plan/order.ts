import { type Change, type ChangeKind, changeTarget } from '../diff/change.js';
import { compareStrings } from '../model/keys.js';
import { type Wave, WAVES } from './plan.js';

/**
 * The wave (1-based index into WAVES) of each kind of change. Identity Center rejects writes
 * out of order (DESIGN.md "Ordering"): principals and permission sets exist before anything
 * refers to them; assignments go before the permission sets, groups and users they name.
 *
 * A permission set is deleted in a wave after every assignment deletion, and its change then
 * waits until AWS has deprovisioned it from every account (perform-permission-set.ts): the role
 * goes asynchronously after the last assignment, and DeletePermissionSet is refused meanwhile.
 * No wave detaches the policies of a permission set being deleted (DESIGN.md's wave 7 did):
 * AWS deletes a permission set with its policies, and stripping them before a delete it may
 * still refuse would leave a live set granting nothing.
 */
export const WAVE_OF: Readonly<Record<ChangeKind, number>> = {
  'user.create': 1,
  'user.update': 1,
  'group.create': 1,
  'group.update': 1,
  'permissionSet.create': 1,
  'permissionSet.update': 2,
  'membership.add': 3,
  'assignment.create': 4,
  'permissionSet.provision': 5,
  'assignment.delete': 6,
  'membership.remove': 7,
  'permissionSet.delete': 8,
  'group.delete': 9,
  'user.delete': 10,
};

/** Non-empty waves in order; inside a wave, changes sorted byte-wise by target then kind. */
export function orderIntoWaves(changes: readonly Change[]): Wave[] {
  const buckets: { target: string; change: Change }[][] = WAVES.map(() => []);
  for (const change of changes) {
    buckets[WAVE_OF[change.kind] - 1]!.push({ target: changeTarget(change), change });
  }
  const waves: Wave[] = [];
  buckets.forEach((bucket, i) => {
    if (bucket.length === 0) return;
    bucket.sort((a, b) => compareStrings(a.target, b.target) || compareStrings(a.change.kind, b.change.kind));
    waves.push({ index: i + 1, name: WAVES[i]!, changes: bucket.map((b) => b.change) });
  });
  return waves;
}
