import { type ActionCatalogue, type ActionSet, complement, expandPatterns } from './catalogue.js';

// One IAM policy document, compiled against the catalogue: each statement becomes its effect,
// the set of catalogue actions it names (`Action`, or everything but `NotAction`), and whether
// it holds unconditionally. A statement with a Condition, or scoped to resources other than
// `*`, applies to some requests only: its answer is "possibly", never a silent yes or no.

export interface CompiledStatement {
  readonly policy: string;
  /** 1-based position in the document's Statement list. */
  readonly position: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: ActionSet;
  /** No Condition and `Resource: "*"`: it applies to every request for its actions. */
  readonly unconditional: boolean;
  /** Why it is not unconditional (the condition keys, the resources). */
  readonly qualifier?: string;
  /** The action patterns as written, for messages (`NotAction` ones prefixed with `not `). */
  readonly written: readonly string[];
}

/** "managed policy ReadOnlyAccess statement ReadOnly (#2)". */
export const statementLabel = (s: CompiledStatement): string =>
  `${s.policy} statement ${s.sid ? `${s.sid} (#${s.position})` : `#${s.position}`}`;

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const strings = (v: unknown): string[] => asList(v).filter((x): x is string => typeof x === 'string');

/** Compiled statements, or undefined when the document is not a policy the model can read. */
export function compilePolicy(c: ActionCatalogue, policy: string, document: unknown): CompiledStatement[] | undefined {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return undefined;
  const raw = (document as { Statement?: unknown }).Statement;
  if (raw === undefined) return undefined;
  const out: CompiledStatement[] = [];
  asList(raw).forEach((st, i) => {
    if (st === null || typeof st !== 'object' || Array.isArray(st)) return;
    const s = st as Record<string, unknown>;
    const effect = s.Effect === 'Allow' || s.Effect === 'Deny' ? s.Effect : undefined;
    if (!effect) return;
    const named = s.Action !== undefined ? strings(s.Action) : undefined;
    const notNamed = s.NotAction !== undefined ? strings(s.NotAction) : undefined;
    if (named === undefined && notNamed === undefined) return;
    const listed = expandPatterns(c, named ?? notNamed ?? []);
    const actions = named !== undefined ? listed : complement(c, listed);
    const qualifiers: string[] = [];
    if (s.Condition !== undefined && s.Condition !== null && typeof s.Condition === 'object' && Object.keys(s.Condition).length > 0) {
      const keys = Object.values(s.Condition as Record<string, unknown>).flatMap((byKey) =>
        byKey !== null && typeof byKey === 'object' ? Object.keys(byKey) : [],
      );
      qualifiers.push(`only under a condition on ${[...new Set(keys)].sort().join(', ') || 'the request'}`);
    }
    if (s.NotResource !== undefined) qualifiers.push(`on resources other than ${strings(s.NotResource).join(', ')}`);
    else if (s.Resource !== undefined && !strings(s.Resource).includes('*')) {
      const resources = strings(s.Resource);
      qualifiers.push(`only on ${resources.slice(0, 3).join(', ')}${resources.length > 3 ? ` and ${resources.length - 3} more` : ''}`);
    }
    out.push({
      policy,
      position: i + 1,
      ...(typeof s.Sid === 'string' && s.Sid !== '' ? { sid: s.Sid } : {}),
      effect,
      actions,
      unconditional: qualifiers.length === 0,
      ...(qualifiers.length > 0 ? { qualifier: qualifiers.join(' and ') } : {}),
      written: named ?? (notNamed ?? []).map((p) => `not ${p}`),
    });
  });
  return out;
}
