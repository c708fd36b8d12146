import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { SourceRange } from '../../model/desired.js';
import { error, where, type ConfigRule } from '../entries.js';
import { BIDI_CONTROLS, INVISIBLE, skeleton } from '../unicode/skeleton.js';

interface Principal {
  readonly kind: 'user' | 'group';
  readonly name: string;
  /** Where the name was written; looked up only when reported (it may cost a parse). */
  at(): SourceRange;
}

/**
 * Principal names must look like what they are: NFC, no bidi controls, no invisible characters,
 * and no two principals that differ but look the same (`аdmin` with a Cyrillic а vs `admin`) —
 * the review of a pull request is done by eye.
 */
export const checkPrincipalNames: ConfigRule = (ctx) => {
  const principals: Principal[] = [
    ...ctx.entries.users.map((u) => ({ kind: 'user' as const, name: u.value.userName, at: () => u.at(['userName']) })),
    ...ctx.entries.groups.map((g) => ({ kind: 'group' as const, name: g.value.name, at: () => g.at(['name']) })),
  ];
  const out: Diagnostic[] = [];
  // One map of skeletons, not a pairwise comparison: 50k users stay linear.
  const bySkeleton = new Map<string, Principal>();
  for (const p of principals) {
    const problem = characterProblem(p.name);
    if (problem) out.push(error('principal-name', `${p.kind} name \`${visible(p.name)}\` ${problem}`, p.at()));
    const key = skeleton(p.name);
    const earlier = bySkeleton.get(key);
    if (earlier === undefined) bySkeleton.set(key, p);
    else if (earlier.name !== p.name)
      out.push(
        error(
          'confusable-name',
          `${p.kind} \`${visible(p.name)}\` looks like ${earlier.kind} \`${visible(earlier.name)}\` at ${where(earlier.at())} (confusable characters: ${differing(p.name, earlier.name)}); rename one of them`,
          p.at(),
        ),
      );
  }
  return out;
};

function characterProblem(name: string): string | undefined {
  if (BIDI_CONTROLS.test(name)) return 'contains a bidirectional control character, which can make it display differently from what it is; remove it';
  if (INVISIBLE.test(name)) return 'contains an invisible character (zero-width space, soft hyphen…); remove it';
  if (name.normalize('NFC') !== name) return 'is not in Unicode NFC form, so it can look identical to a different name; retype it or normalise to NFC';
  return undefined;
}

/** Shows invisible and non-ASCII characters as U+XXXX so the message itself is not deceptive. */
export function visible(name: string): string {
  let out = '';
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    out += code >= 0x20 && code < 0x7f ? ch : `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  }
  return out;
}

function differing(a: string, b: string): string {
  const as = [...a];
  const bs = [...b];
  const pairs: string[] = [];
  for (let i = 0; i < Math.min(as.length, bs.length) && pairs.length < 3; i++)
    if (as[i] !== bs[i]) pairs.push(`${visible(as[i]!)} vs ${visible(bs[i]!)}`);
  return pairs.length > 0 ? pairs.join(', ') : 'different lengths';
}
