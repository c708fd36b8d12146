// What `gatehouse drift` reports: how the live system differs from the config, and how much
// each difference matters. Pure data; renderers turn it into text, Markdown or JSON.

export const DRIFT_FORMAT_VERSION = 1;

export type DriftKind =
  /** In the live system, not in the config; apply would remove it. */
  | 'added'
  /** In the live system, not in the config; ownership `keep` leaves it alone. */
  | 'unmanaged'
  /** In both, with different fields. */
  | 'changed'
  /** In the config, not in the live system (deleted by hand, or never applied). */
  | 'missing'
  /** Accounts running an older version of a permission set (not re-provisioned). */
  | 'not-provisioned'
  /** Assignments or memberships whose principal no longer exists. */
  | 'orphaned'
  /** Assignments whose rule has expired, still live. */
  | 'expired';

export type RiskLevel = 'high' | 'medium' | 'low';

export const RISK_ORDER: readonly RiskLevel[] = ['high', 'medium', 'low'];

export type DriftEntity = 'user' | 'group' | 'membership' | 'permissionSet' | 'assignment' | 'provisioning';

export interface DriftAccount {
  readonly id: string;
  readonly name?: string;
}

export interface DriftFinding {
  readonly kind: DriftKind;
  readonly entity: DriftEntity;
  /** Entity key (model/keys.ts); for provisioning `permissionSet:NAME@ACCOUNT`. */
  readonly key: string;
  readonly account?: DriftAccount;
  /** One sentence: what is different, in words. */
  readonly detail: string;
  /** For `changed`: the names of the differing fields. */
  readonly fields?: readonly string[];
  /** What the live system has (undefined when it has nothing). */
  readonly live?: unknown;
  /** What the config says (undefined when it says nothing). */
  readonly desired?: unknown;
  readonly risk: RiskLevel;
  /** Why this risk level: the reviewer's first question. */
  readonly riskReason: string;
}

export interface DriftSummary {
  readonly total: number;
  readonly high: number;
  readonly medium: number;
  readonly low: number;
}

export interface DriftReport {
  readonly formatVersion: typeof DRIFT_FORMAT_VERSION;
  /** Sorted by risk (high first), then key. */
  readonly findings: readonly DriftFinding[];
  readonly summary: DriftSummary;
}

export const isDrifted = (report: DriftReport): boolean => report.findings.length > 0;
