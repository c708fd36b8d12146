import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { PermissionSet } from '../../model/generated/config.js';
import { error, where, type ConfigRule, type Entry } from '../entries.js';
import { visible } from './principal-names.js';

/** Each natural key is defined once across all files; the message names both places. */
export const checkDuplicates: ConfigRule = (ctx) => {
  const { users, groups, permissionSets, guardrails } = ctx.entries;
  const out = [
    ...duplicatesOf(users, (u) => u.userName, 'user', 'userName', true),
    ...duplicatesOf(groups, (g) => g.name, 'group', 'name', true),
    ...duplicatesOf(permissionSets, (p) => p.name, 'permission set', 'name'),
    ...duplicatesOf(guardrails, (g) => g.name, 'guardrail', 'name'),
  ];
  // A rename source that is still defined would be created and deleted in the same plan.
  const psNames = new Map(permissionSets.map((p) => [p.value.name, p]));
  const renameSources = new Map<string, Entry<PermissionSet>>();
  for (const ps of permissionSets) {
    const from = ps.value.renamedFrom;
    if (from === undefined) continue;
    const defined = psNames.get(from);
    if (defined)
      out.push(error('duplicate-name', `renamedFrom \`${from}\` names a permission set that is still defined at ${where(defined.at(['name']))}; remove that definition or the renamedFrom`, ps.at(['renamedFrom'])));
    const earlier = renameSources.get(from);
    if (earlier)
      out.push(error('duplicate-name', `\`${from}\` is already renamed at ${where(earlier.at(['renamedFrom']))}; a permission set can be renamed into only one new name`, ps.at(['renamedFrom'])));
    else renameSources.set(from, ps);
  }
  return out;
};

/**
 * `caseless`: the Identity Store compares user names and group display names without regard to
 * case, so `Alice` beside `alice` is one name to it and the second create fails (issue 8).
 */
function duplicatesOf<T>(entries: readonly Entry<T>[], keyOf: (v: T) => string, kind: string, field: string, caseless = false): Diagnostic[] {
  // The first entry of each key; positions are looked up only for a duplicate (they may cost a parse).
  const first = new Map<string, Entry<T>>();
  const out: Diagnostic[] = [];
  for (const entry of entries) {
    const name = keyOf(entry.value);
    const key = caseless ? name.toLowerCase() : name;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, entry);
    else if (keyOf(earlier.value) === name)
      out.push(error('duplicate-name', `${kind} \`${visible(name)}\` is defined twice: here and at ${where(earlier.at([field]))}; remove or rename one`, entry.at([field])));
    else
      out.push(
        error(
          'duplicate-name',
          `${kind} \`${visible(name)}\` differs from \`${visible(keyOf(earlier.value))}\` at ${where(earlier.at([field]))} only in letter case; IAM Identity Center compares ${field === 'userName' ? 'user names' : 'group names'} without regard to case and would reject the second, so rename or merge one`,
          entry.at([field]),
        ),
      );
  }
  return out;
}
