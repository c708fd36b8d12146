import type { Account, PermissionSetSpec } from '../model/entities.js';

// The two facts that make drift dangerous: a grant that amounts to admin, in an account that
// matters. Both are heuristics on names and tags, so each says why it matched.

/** AWS managed policies that grant full control, or full control of IAM (one step from it). */
const ADMIN_MANAGED_POLICIES = new Set(['AdministratorAccess', 'IAMFullAccess', 'PowerUserAccess']);

/** Why a permission set counts as admin-level, or undefined when it does not. */
export function adminLevelReason(ps: PermissionSetSpec): string | undefined {
  for (const arn of ps.managedPolicies) {
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    if (arn.includes(':iam::aws:policy/') && ADMIN_MANAGED_POLICIES.has(name)) return `managed policy ${name}`;
  }
  const action = inlineWildcardAction(ps.inlinePolicy);
  if (action) return `inline policy allows "Action": "${action}"`;
  return undefined;
}

/** `*` or `iam:*` allowed by any statement of the inline policy. */
function inlineWildcardAction(document: string | undefined): string | undefined {
  if (document === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return undefined;
  }
  const statements = asArray((parsed as { Statement?: unknown } | null)?.Statement);
  for (const statement of statements) {
    if (statement === null || typeof statement !== 'object') continue;
    const { Effect, Action } = statement as { Effect?: unknown; Action?: unknown };
    if (Effect !== 'Allow') continue;
    for (const action of asArray(Action)) {
      if (typeof action === 'string' && (action === '*' || action.toLowerCase() === 'iam:*')) return action;
    }
  }
  return undefined;
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

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
