import type { GenConfig } from './model.js';
import { REFERENCE_NOW } from './sizes.js';

/** What a generated directory holds: written next to it as manifest.json, read by the runner. */
export interface Manifest {
  readonly size: GenConfig['size'];
  readonly seed: number;
  /** The instant `expandedAssignments` was computed for. */
  readonly referenceNow: string;
  readonly counts: {
    readonly users: number;
    readonly groups: number;
    readonly memberships: number;
    readonly accounts: number;
    readonly activeAccounts: number;
    readonly ous: number;
    readonly permissionSets: number;
    readonly inlinePolicies: number;
    readonly assignmentRules: number;
    readonly directUserRules: number;
    readonly expiringRules: number;
    readonly expandedAssignments: number;
  };
  readonly files: number;
  readonly bytes: number;
}

export const MANIFEST_FILE = 'manifest.json';

export function buildManifest(
  config: GenConfig,
  expandedAssignments: number,
  files: readonly { readonly bytes: number }[],
): Manifest {
  return {
    size: config.size,
    seed: config.seed,
    referenceNow: REFERENCE_NOW,
    counts: {
      users: config.users.length,
      groups: config.groups.length,
      memberships: config.groups.reduce((sum, g) => sum + g.members.length, 0),
      accounts: config.organization.accounts.length,
      activeAccounts: config.organization.accounts.filter((a) => a.status === undefined).length,
      ous: config.organization.ouPaths.length,
      permissionSets: config.permissionSets.length,
      inlinePolicies: config.permissionSets.filter((p) => p.inlinePolicy).length,
      assignmentRules: config.rules.length,
      directUserRules: config.rules.filter((r) => r.users.length > 0).length,
      expiringRules: config.rules.filter((r) => r.expires !== undefined).length,
      expandedAssignments,
    },
    files: files.length,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
  };
}
