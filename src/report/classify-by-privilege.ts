import type { PrivilegeModel } from '../privilege/privilege-model.js';
import type { ClassifyPermissionSet } from './access-review.js';

/**
 * The review's privilege column from the privilege model (what the policies allow, not what the
 * permission set is called). Where conditions or unknown content (customer managed policies)
 * decide, the level is the highest it may reach, and the reason says so.
 */
export function classifyByPrivilege(model: PrivilegeModel): ClassifyPermissionSet {
  return (ps, name) => {
    if (!ps) return { level: 'unclassified', reason: `permission set ${name} is not defined` };
    const p = model.of(ps);
    const c = p.classification;
    const possibly = c.certainLevel !== c.level ? ` (possibly: certain only to ${c.certainLevel})` : '';
    const unknown = p.notAnalysed.length > 0 ? `; ${p.notAnalysed.join('; ')}` : '';
    return { level: c.level, reason: `${c.reason}${possibly}${unknown}` };
  };
}
