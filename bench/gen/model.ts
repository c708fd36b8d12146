// The generated organisation in the shape of the config files (docs/format.md), before it is
// rendered to YAML. Kept separate from src/model on purpose: the benchmark's expected numbers
// must come from an independent reading of the format, not from the product's own types.

export type SizeName = 'S' | 'M' | 'L';

export interface GenAccount {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  /** The OU the account sits in directly, e.g. `/Root/Workloads/Prod/payments`. */
  readonly ouPath: string;
  readonly status?: 'SUSPENDED';
  readonly tags: Readonly<Record<string, string>>;
}

export interface GenOrganization {
  readonly managementAccountId: string;
  /** Every OU path below /Root, parents before children. */
  readonly ouPaths: readonly string[];
  readonly accounts: readonly GenAccount[];
}

export interface GenUser {
  readonly userName: string;
  readonly displayName: string;
  readonly given: string;
  readonly family: string;
  readonly title: string;
}

export interface GenGroup {
  readonly name: string;
  readonly description: string;
  readonly members: readonly string[];
  /** Config file (relative) the group is written to. */
  readonly file: string;
}

export interface GenPolicyRef {
  readonly name: string;
  readonly path?: string;
}

export type GenBoundary = { readonly customerManagedPolicy: GenPolicyRef } | { readonly managedPolicy: string };

export interface GenPermissionSet {
  readonly name: string;
  readonly description: string;
  readonly sessionDuration: string;
  readonly relayState?: string;
  readonly managedPolicies: readonly string[];
  readonly customerManagedPolicies: readonly GenPolicyRef[];
  /** An IAM policy document, written to policies/<name>.json. */
  readonly inlinePolicy?: Readonly<Record<string, unknown>>;
  readonly permissionsBoundary?: GenBoundary;
  readonly tags: Readonly<Record<string, string>>;
}

export interface GenOuTarget {
  readonly path: string;
  readonly recursive: boolean;
}

export interface GenRule {
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly permissionSets: readonly string[];
  /** Account names or ids, as written. */
  readonly accounts: readonly string[];
  readonly ous: readonly GenOuTarget[];
  readonly accountTags: Readonly<Record<string, string>>;
  readonly exclude: { readonly accounts: readonly string[]; readonly ous: readonly GenOuTarget[] };
  readonly expires?: string;
  readonly reason?: string;
  readonly file: string;
}

export interface GenConfig {
  readonly size: SizeName;
  readonly seed: number;
  readonly organization: GenOrganization;
  readonly users: readonly GenUser[];
  readonly groups: readonly GenGroup[];
  readonly permissionSets: readonly GenPermissionSet[];
  readonly rules: readonly GenRule[];
}
