import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { SourceRange } from '../../model/desired.js';
import { error, where, type ConfigRule } from '../entries.js';
import { nameProblem } from '../text/unsafe-text.js';
import { foldedSkeleton } from '../unicode/skeleton.js';

interface Principal {
  readonly kind: 'user' | 'group';
  readonly name: string;
  /** Where the name was written; looked up only when reported (it may cost a parse). */
  at(): SourceRange;
}

/**
 * Principal names must look like what they are: NFC, no control, format, bidi or invisible
 * characters, no odd or surrounding spaces, and no two principals that differ but look the same
 * (`аdmin` with a Cyrillic а vs `admin`, `Developers` vs `developers`) — the review of a pull
 * request is done by eye. Names equal but for case are reported by the duplicates rule.
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
    const problem = nameProblem(p.name);
    if (problem) out.push(error('principal-name', `${p.kind} name \`${visible(p.name)}\` ${problem}`, p.at()));
    // Surrounding spaces do not show: `"platform-admins "` looks like `platform-admins`.
    const key = foldedSkeleton(p.name.trim());
    const earlier = bySkeleton.get(key);
    if (earlier === undefined) bySkeleton.set(key, p);
    else if (earlier.name !== p.name && !(earlier.kind === p.kind && earlier.name.toLowerCase() === p.name.toLowerCase()))
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
