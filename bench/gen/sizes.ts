import type { SizeName } from './model.js';

export interface SizeProfile {
  readonly users: number;
  readonly groups: number;
  /** Including the management account. */
  readonly accounts: number;
  readonly permissionSets: number;
  readonly businessUnits: number;
  /** The generator adds cross-team grants until the expansion reaches this many tuples. */
  readonly targetExpanded: number;
}

// Issue #5: S 1k/100/100/30, M 10k/1k/500/100, L 50k/5k/2k/300 with ~250k expanded
// assignments; S and M scaled proportionally to the number of accounts and principals.
export const SIZES: Readonly<Record<SizeName, SizeProfile>> = {
  S: { users: 1_000, groups: 100, accounts: 100, permissionSets: 30, businessUnits: 4, targetExpanded: 4_500 },
  M: { users: 10_000, groups: 1_000, accounts: 500, permissionSets: 100, businessUnits: 8, targetExpanded: 50_000 },
  L: { users: 50_000, groups: 5_000, accounts: 2_000, permissionSets: 300, businessUnits: 16, targetExpanded: 250_000 },
};

export const isSizeName = (value: string): value is SizeName => value === 'S' || value === 'M' || value === 'L';

/** Assignments are expanded as of this instant; every generated expiry lies well after it. */
export const REFERENCE_NOW = '2026-11-29T00:00:00Z';

export const DOMAIN = 'acme.example';
