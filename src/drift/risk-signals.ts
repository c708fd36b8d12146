import type { Account, PermissionSetSpec } from '../model/entities.js';

import type { PrivilegeModel } from '../privilege/privilege-model.js';

// The two facts that make drift dangerous: a grant that amounts to admin, in an account that
// matters. Admin comes from what the permission set's policies allow (the privilege model), so
// a set called ReadOnly that holds AdministratorAccess is admin and a set called Admin capped
// by a read-only boundary is not. Production is a heuristic on tags and OU names. Each says why.

/**
 * Why a permission set counts as admin-level: admin, or able to raise its own permissions
 * (privilege-escalation), from the statements the model analysed; undefined when it is neither.
 */
export function adminLevelReason(ps: PermissionSetSpec, model: PrivilegeModel): string | undefined {
  const c = model.of(ps).classification;
  if (c.level !== 'admin' && c.level !== 'privilege-escalation') return undefined;
  return `${c.level}${c.certainLevel === c.level ? '' : ', possibly'}, through ${c.decidedBy}`;
}

const PROD_TAG_KEYS = new Set(['env', 'environment', 'stage']);
const PROD_TAG_VALUES = new Set(['prod', 'production', 'prd']);

/** Why an account counts as production, or undefined when it does not. */
export function productionReason(account: Account | undefined): string | undefined {
  if (!account) return undefined;
  for (const [key, value] of Object.entries(account.tags)) {
    if (PROD_TAG_KEYS.has(key.toLowerCase()) && PROD_TAG_VALUES.has(value.toLowerCase())) return `tagged ${key}=${value}`;
  }
  if (account.ouPath.split('/').some(isProdSegment)) return `in OU ${account.ouPath}`;
  return undefined;
}

/**
 * `Prod`, `Production`, `prod-eu`, `WorkloadsProd` are production; `NonProd`, `Non-Prod`,
 * `PreProd`, `preprod` are not. Words are split at separators and camelCase humps.
 */
function isProdSegment(segment: string): boolean {
  const words = segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase())
    .filter((w) => w.length > 0);
  return words.some((w, i) => (w === 'prod' || w === 'production') && !['non', 'pre', 'not'].includes(words[i - 1] ?? ''));
}
