import { BIDI_CONTROLS, INVISIBLE } from '../unicode/skeleton.js';

// What text from a config may hold before it reaches a plan, a diagnostic, a PR comment or a
// terminal. Renderers escape too; rejecting here means the store never holds it either.

/**
 * Control (Cc) and format (Cf: bidi controls, zero-width characters, soft hyphen, tag
 * characters) code points, line and paragraph separators, and lone surrogates: ESC starts a
 * terminal sequence (`ESC[8m` conceals the rest of a line), a newline forges a line of a plan,
 * a bidi control reorders what is shown.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** Spaces other than U+0020 (no-break, en, em, thin, ideographic…): a name with one looks like another. */
const ODD_SPACE = /[^\P{Zs} ]/u;

/** What is wrong with a description, tag or other free text, or undefined. */
export function textProblem(text: string): string | undefined {
  const bad = UNSAFE.exec(text);
  if (!bad) return undefined;
  const ch = bad[0];
  if (BIDI_CONTROLS.test(ch)) return `contains ${codePoint(ch)}, a bidirectional control character, which can make it display differently from what it is; remove it`;
  if (INVISIBLE.test(ch)) return `contains ${codePoint(ch)}, an invisible character; remove it`;
  return `contains the control or format character ${codePoint(ch)}, which could forge what a plan or a terminal shows; remove it`;
}

/**
 * What is wrong with a name (user, group, permission set, guardrail, account, OU), or undefined:
 * everything textProblem rejects, plus what makes two different names look the same — not NFC,
 * a leading or trailing space, an odd space, an invisible character.
 */
export function nameProblem(name: string): string | undefined {
  const text = textProblem(name);
  if (text) return text;
  if (INVISIBLE.test(name)) return `contains ${codePoint(INVISIBLE.exec(name)![0])}, an invisible character; remove it`;
  if (name.normalize('NFC') !== name) return 'is not in Unicode NFC form, so it can look identical to a different name; retype it or normalise to NFC';
  if (/^\s|\s$/u.test(name)) return 'starts or ends with a space, so it looks like the name without it; remove the space';
  const odd = ODD_SPACE.exec(name);
  if (odd) return `contains ${codePoint(odd[0])}, a space that looks like an ordinary one; use a plain space or none`;
  return undefined;
}

const codePoint = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
