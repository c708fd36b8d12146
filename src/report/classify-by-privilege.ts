import type { PrivilegeModel } from '../privilege/privilege-model.js';
import type { ClassifyPermissionSet } from './access-review.js';

/**
 * The review's privilege column from the privilege model (what the policies allow, not what the
 * permission set is called): the level the analysed statements reach, conditions counting as
 * allowing. Content the config does not hold (customer managed policies) is named in the reason,
 * with the level it could reach if it allowed anything.
 */
export function classifyByPrivilege(model: PrivilegeModel): ClassifyPermissionSet {
  return (ps, name) => {
    if (!ps) return { level: 'unclassified', reason: `permission set ${name} is not defined` };
    const p = model.of(ps);
    const c = p.classification;
    const possibly = c.certainLevel !== c.level ? ` (possibly: certain only to ${c.certainLevel})` : '';
    const unknown = p.notAnalysed.length > 0 ? `; ${p.notAnalysed.join('; ')}` : '';
    const worst = c.worstCaseLevel !== c.level ? `; ${c.worstCaseLevel} if that content allowed anything` : '';
    return { level: c.level, reason: `${c.reason}${possibly}${unknown}${worst}` };
  };
}
