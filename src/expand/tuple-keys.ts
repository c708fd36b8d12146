import type { PrincipalType } from '../model/entities.js';

// Numeric keys for (principal, permission set, account) tuples. A plan at the L size compares
// ~250,000 expanded tuples with as many live assignments; building and hashing a fresh string
// key per tuple per lookup dominated the diff (and the garbage collector). Interning each
// name once and combining the indexes into one number makes every Set/Map lookup cheap.
// Names are interned in a first pass, so the sizes, and so the multipliers, are fixed.

export type TupleKey = number | string;

export class TupleKeys {
  private readonly users = new Map<string, number>();
  private readonly groups = new Map<string, number>();
  private readonly permissionSets = new Map<string, number>();
  private readonly accounts = new Map<string, number>();
  private sealed = false;
  private principalCount = 0;
  private numeric = true;

  add(principalType: PrincipalType, principalName: string, permissionSetName: string, accountId: string): void {
    if (this.sealed) throw new Error('TupleKeys: add after seal');
    const principals = principalType === 'USER' ? this.users : this.groups;
    if (!principals.has(principalName)) principals.set(principalName, principals.size);
    if (!this.permissionSets.has(permissionSetName)) this.permissionSets.set(permissionSetName, this.permissionSets.size);
    if (!this.accounts.has(accountId)) this.accounts.set(accountId, this.accounts.size);
  }

  seal(): this {
    this.sealed = true;
    this.principalCount = this.users.size + this.groups.size;
    // Beyond 2^53 numbers lose precision: fall back to string keys (never at realistic sizes).
    this.numeric = this.principalCount * this.permissionSets.size * this.accounts.size < Number.MAX_SAFE_INTEGER;
    return this;
  }

  /** The tuple's key; undefined when a name was never added (so no such tuple exists). */
  key(principalType: PrincipalType, principalName: string, permissionSetName: string, accountId: string): TupleKey | undefined {
    const p = principalType === 'USER' ? this.users.get(principalName) : this.groups.get(principalName);
    const s = this.permissionSets.get(permissionSetName);
    const a = this.accounts.get(accountId);
    if (p === undefined || s === undefined || a === undefined) return undefined;
    if (!this.numeric) return `${principalType}:${principalName}|${permissionSetName}|${accountId}`;
    const principal = principalType === 'USER' ? p : this.users.size + p;
    return (principal * this.permissionSets.size + s) * this.accounts.size + a;
  }

  /** Key of a (permission set, account) pair, the unit AWS provisions. */
  provisionKey(permissionSetName: string, accountId: string): TupleKey | undefined {
    const s = this.permissionSets.get(permissionSetName);
    const a = this.accounts.get(accountId);
    if (s === undefined || a === undefined) return undefined;
    return s * this.accounts.size + a;
  }
}
