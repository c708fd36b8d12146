import { createHash } from 'node:crypto';
import { canonicalJson } from '../diff/canonical-json.js';
import type { PermissionSetSpec } from '../model/entities.js';
import { type ActionCatalogue, buildCatalogue, type IamActionsData } from './catalogue.js';
import { compilePolicy, type CompiledStatement } from './policy-statements.js';
import { analysePermissionSet, type ManagedPolicyLookup, type PermissionSetPrivilege, privilegeContent } from './permission-set-privilege.js';

// The privilege model handed to the core: the catalogue, the managed policy documents, and a
// cache of analysed permission sets by content digest, so a plan over 50,000 assignments
// analyses each distinct permission set content once (and a rename costs nothing).

export interface PrivilegeData {
  readonly actions: IamActionsData;
  readonly managedPolicy: ManagedPolicyLookup;
  /** Identifies the managed policy dataset (package@version): part of the content digest. */
  readonly managedPoliciesSource: string;
}

export interface PrivilegeModel {
  readonly catalogue: ActionCatalogue;
  /** What a permission set's content allows; cached by contentDigest. */
  of(ps: PermissionSetSpec): PermissionSetPrivilege;
  contentDigest(ps: PermissionSetSpec): string;
}

export function createPrivilegeModel(data: PrivilegeData): PrivilegeModel {
  const catalogue = buildCatalogue(data.actions);
  const datasets = `${data.actions.source.package}@${data.actions.source.version}|${data.managedPoliciesSource}`;
  const cache = new Map<string, PermissionSetPrivilege>();
  // The same managed policies recur across permission sets: compile each once per label.
  const compiled = new Map<string, CompiledStatement[] | undefined>();
  const compileManaged = (label: string, arn: string) => {
    const key = `${label}\0${arn}`;
    if (compiled.has(key)) return compiled.get(key);
    const statements = compilePolicy(catalogue, label, data.managedPolicy(arn));
    compiled.set(key, statements);
    return statements;
  };
  const bySpec = new WeakMap<PermissionSetSpec, PermissionSetPrivilege>();
  const contentDigest = (ps: PermissionSetSpec) =>
    createHash('sha256').update(datasets).update('\0').update(canonicalJson(privilegeContent(ps))).digest('hex');
  return {
    catalogue,
    contentDigest,
    of(ps) {
      const known = bySpec.get(ps);
      if (known) return known;
      const digest = contentDigest(ps);
      let p = cache.get(digest);
      if (!p) {
        p = analysePermissionSet(catalogue, ps, data.managedPolicy, compileManaged);
        cache.set(digest, p);
      }
      bySpec.set(ps, p);
      return p;
    },
  };
}
