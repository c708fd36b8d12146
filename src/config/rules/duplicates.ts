import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { PermissionSet } from '../../model/generated/config.js';
import { error, where, type ConfigRule, type Entry } from '../entries.js';

/** Each natural key is defined once across all files; the message names both places. */
export const checkDuplicates: ConfigRule = (ctx) => {
  const { users, groups, permissionSets, guardrails } = ctx.entries;
  const out = [
    ...duplicatesOf(users, (u) => u.userName, 'user', 'userName'),
    ...duplicatesOf(groups, (g) => g.name, 'group', 'name'),
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

function duplicatesOf<T>(entries: readonly Entry<T>[], keyOf: (v: T) => string, kind: string, field: string): Diagnostic[] {
  // The first entry of each key; positions are looked up only for a duplicate (they may cost a parse).
  const first = new Map<string, Entry<T>>();
  const out: Diagnostic[] = [];
  for (const entry of entries) {
    const key = keyOf(entry.value);
    const earlier = first.get(key);
    if (earlier) out.push(error('duplicate-name', `${kind} \`${key}\` is defined twice: here and at ${where(earlier.at([field]))}; remove or rename one`, entry.at([field])));
    else first.set(key, entry);
  }
  return out;
}
