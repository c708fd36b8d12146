import type { PermissionSetSpec } from '../model/entities.js';
import {
  type ActionCatalogue,
  type ActionSet,
  actionId,
  emptySet,
  fullSet,
  has,
  intersect,
  minus,
  union,
} from './catalogue.js';
import { classify, type Classification } from './classify.js';
import { compilePolicy, type CompiledStatement, statementLabel } from './policy-statements.js';

// What one permission set allows, from its content alone (never its name). IAM's evaluation:
// an explicit Deny anywhere wins; otherwise an action is allowed when an identity policy allows
// it and, if there is a permissions boundary, the boundary allows it too. Each side is
// three-valued: yes (an unconditional statement), possibly (a statement with a condition or a
// resource scope, or content the config does not hold), no.

/** Looks up an AWS managed policy document by ARN; undefined when the dataset lacks it. */
export type ManagedPolicyLookup = (arn: string) => unknown;

/** Compiles a managed policy under a label; the model memoises it (ReadOnlyAccess names ~3,000 patterns). */
export type CompileManagedPolicy = (label: string, arn: string) => CompiledStatement[] | undefined;

export type Answer = 'yes' | 'possibly' | 'no';

export interface PermissionSetPrivilege {
  /** Allowed for every request. */
  readonly allowed: ActionSet;
  /** What the analysed statements allow for some requests (includes `allowed`); content not analysed adds nothing. */
  readonly analysedAllowed: ActionSet;
  /** Allowed for some requests, or unknown: content not analysed counts as allowing anything (includes `analysedAllowed`). */
  readonly maybeAllowed: ActionSet;
  readonly identity: readonly CompiledStatement[];
  /** Statements of an analysed boundary; undefined without a boundary. */
  readonly boundary?: readonly CompiledStatement[];
  /** The boundary's name, and whether its content is unknown. */
  readonly boundaryName?: string;
  readonly boundaryUnknown: boolean;
  /** "not analysed: customer managed policy acme-deny-billing", … */
  readonly notAnalysed: readonly string[];
  readonly classification: Classification;
}

const policyName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** The content fields that decide what a permission set grants: the cache key's input. */
export const privilegeContent = (ps: PermissionSetSpec) => ({
  managedPolicies: ps.managedPolicies,
  customerManagedPolicies: ps.customerManagedPolicies,
  inlinePolicy: ps.inlinePolicy,
  permissionsBoundary: ps.permissionsBoundary,
});

export function analysePermissionSet(
  c: ActionCatalogue,
  ps: Pick<PermissionSetSpec, 'managedPolicies' | 'customerManagedPolicies' | 'inlinePolicy' | 'permissionsBoundary'>,
  managedPolicy: ManagedPolicyLookup,
  compileManaged: CompileManagedPolicy = (label, arn) => compilePolicy(c, label, managedPolicy(arn)),
): PermissionSetPrivilege {
  const identity: CompiledStatement[] = [];
  const notAnalysed: string[] = [];
  let identityUnknown = false;
  for (const arn of ps.managedPolicies) {
    const compiled = compileManaged(`managed policy ${policyName(arn)}`, arn);
    if (compiled) identity.push(...compiled);
    else {
      identityUnknown = true;
      notAnalysed.push(`not analysed: managed policy ${arn} (not in the AWS managed policy dataset)`);
    }
  }
  if (ps.inlinePolicy !== undefined) {
    let doc: unknown;
    try {
      doc = JSON.parse(ps.inlinePolicy);
    } catch {
      doc = undefined;
    }
    const compiled = compilePolicy(c, 'inline policy', doc);
    if (compiled) identity.push(...compiled);
    else {
      identityUnknown = true;
      notAnalysed.push('not analysed: inline policy (not a policy document)');
    }
  }
  for (const ref of ps.customerManagedPolicies) {
    identityUnknown = true;
    notAnalysed.push(`not analysed: customer managed policy ${ref.path === '/' ? '' : ref.path}${ref.name} (its content lives in each account)`);
  }

  let boundary: CompiledStatement[] | undefined;
  let boundaryName: string | undefined;
  let boundaryUnknown = false;
  const b = ps.permissionsBoundary;
  if (b?.managedPolicyArn !== undefined) {
    boundaryName = `permissions boundary ${policyName(b.managedPolicyArn)}`;
    boundary = compileManaged(boundaryName, b.managedPolicyArn);
    if (!boundary) {
      boundaryUnknown = true;
      notAnalysed.push(`not analysed: permissions boundary ${b.managedPolicyArn} (not in the AWS managed policy dataset)`);
    }
  } else if (b?.customerManagedPolicy !== undefined) {
    const ref = b.customerManagedPolicy;
    boundaryName = `permissions boundary ${ref.path === '/' ? '' : ref.path}${ref.name}`;
    boundaryUnknown = true;
    notAnalysed.push(`not analysed: customer managed policy ${ref.path === '/' ? '' : ref.path}${ref.name} as permissions boundary (its content lives in each account)`);
  }

  const none = emptySet(c);
  const all = fullSet(c);
  const sets = (statements: readonly CompiledStatement[], effect: 'Allow' | 'Deny') => {
    let yes = none;
    let maybe = none;
    for (const s of statements) {
      if (s.effect !== effect) continue;
      if (s.unconditional) yes = union(yes, s.actions);
      else maybe = union(maybe, s.actions);
    }
    return { yes, maybe };
  };
  const allow = sets(identity, 'Allow');
  const deny = sets([...identity, ...(boundary ?? [])], 'Deny');
  const identityYes = allow.yes;
  const identityAny = identityUnknown ? all : union(allow.yes, allow.maybe);
  let boundaryYes = all;
  let boundaryAny = all;
  if (boundary) {
    const ba = sets(boundary, 'Allow');
    boundaryYes = ba.yes;
    boundaryAny = union(ba.yes, ba.maybe);
  } else if (boundaryUnknown) {
    boundaryYes = none;
  }
  const allowed = minus(minus(intersect(identityYes, boundaryYes), deny.yes), deny.maybe);
  // A boundary only caps: one the model cannot read caps nothing it can see.
  const analysedAllowed = minus(intersect(union(allow.yes, allow.maybe), boundaryAny), deny.yes);
  const maybeAllowed = minus(intersect(identityAny, boundaryAny), deny.yes);
  const partial = { allowed, analysedAllowed, maybeAllowed, identity, boundaryUnknown, notAnalysed };
  return {
    ...partial,
    ...(boundary ? { boundary } : {}),
    ...(boundaryName !== undefined ? { boundaryName } : {}),
    classification: classify(c, partial),
  };
}

export interface ActionDecision {
  readonly action: string;
  readonly answer: Answer;
  /** Statements that allow it (unconditional first). */
  readonly allowedBy: readonly string[];
  /** Statements that deny it, or may. */
  readonly deniedBy: readonly string[];
  /** Why the boundary does not let it through, if that is what stops it. */
  readonly boundary?: string;
  readonly notAnalysed: readonly string[];
}

/** Why an action is allowed, possibly allowed or not, statement by statement. */
/**
 * Content the config does not hold (customer managed policies): by default it possibly allows
 * anything, as guardrails assume; `ignore` answers from the analysed statements alone.
 */
export type UnknownContent = 'possibly' | 'ignore';

export function decideAction(c: ActionCatalogue, p: PermissionSetPrivilege, action: string, unknownContent: UnknownContent = 'possibly'): ActionDecision {
  const id = actionId(c, action);
  if (id === undefined) throw new Error(`unknown action ${action}`);
  const name = c.actions[id]!;
  const some = unknownContent === 'ignore' ? p.analysedAllowed : p.maybeAllowed;
  const answer: Answer = has(p.allowed, id) ? 'yes' : has(some, id) ? 'possibly' : 'no';
  const describe = (s: CompiledStatement) => `${statementLabel(s)} (${s.effect} ${s.written.slice(0, 4).join(', ')}${s.written.length > 4 ? ', …' : ''})${s.qualifier ? ` ${s.qualifier}` : ''}`;
  const matching = (list: readonly CompiledStatement[], effect: 'Allow' | 'Deny') =>
    list
      .filter((s) => s.effect === effect && has(s.actions, id))
      .sort((a, b) => Number(b.unconditional) - Number(a.unconditional))
      .map(describe);
  const allowedBy = matching(p.identity, 'Allow');
  const deniedBy = matching([...p.identity, ...(p.boundary ?? [])], 'Deny');
  let boundary: string | undefined;
  if (p.boundaryName !== undefined) {
    if (p.boundaryUnknown) boundary = `${p.boundaryName} is not analysed: it may not allow ${name}`;
    else if (!(p.boundary ?? []).some((s) => s.effect === 'Allow' && has(s.actions, id))) boundary = `outside the ${p.boundaryName}: no statement of it allows ${name}`;
    else if (!(p.boundary ?? []).some((s) => s.effect === 'Allow' && s.unconditional && has(s.actions, id))) boundary = `the ${p.boundaryName} allows ${name} only conditionally`;
  }
  return {
    action: name,
    answer,
    allowedBy,
    deniedBy,
    ...(boundary !== undefined ? { boundary } : {}),
    notAnalysed: p.notAnalysed,
  };
}
