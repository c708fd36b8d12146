// A compact version of the confusable skeleton of Unicode TS #39 (section 4): two strings
// whose skeletons are equal look alike. The full table has ~6,000 entries; this one covers
// the look-alikes seen in practice in identifiers: Cyrillic and Greek letters that are
// drawn like Latin ones, fullwidth forms, and the digit/letter pairs 0/O and 1/l/I.

const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic lowercase
  а: 'a', в: 'B', е: 'e', к: 'k', м: 'm', н: 'H', о: 'o', р: 'p', с: 'c', т: 'T', у: 'y', х: 'x',
  ѕ: 's', і: 'l', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ү: 'y', ɡ: 'g',
  // Cyrillic uppercase
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X',
  Ѕ: 'S', І: 'l', Ј: 'J', Ԁ: 'D', Ԛ: 'Q', Ԝ: 'W', Һ: 'h', Ӏ: 'l', Ү: 'Y',
  // Greek
  α: 'a', β: 'B', γ: 'y', ε: 'e', ι: 'l', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 'T', υ: 'u', χ: 'x', ω: 'w',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'l', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  // Latin look-alikes
  ı: 'l', ł: 'l', ĸ: 'k', ſ: 'f', ß: 'B', 'ǀ': 'l', '|': 'l', I: 'l', '1': 'l', '0': 'O',
  // Punctuation drawn like ASCII
  '‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '―': '-', '−': '-', '⁃': '-',
  '․': '.', '‚': ',', '＠': '@', 'ʼ': "'", '’': "'", '‘': "'",
};

/** Default-ignorable code points (UAX #44) that render as nothing. */
const DEFAULT_IGNORABLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8]|\uDB40[\uDC00-\uDFFF]/g;

/** Bidirectional controls that can reorder how a name is displayed (Trojan Source). */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

/** Characters that render as nothing or as blank: zero-width, soft hyphen, fillers, tag chars. */
export const INVISIBLE = /[\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200D\u2060-\u2064\u3164\uFEFF\uFFA0]|\uDB40[\uDC00-\uDFFF]/;

/** The confusable skeleton: NFD, drop default-ignorables, map look-alikes, NFD again. */
export function skeleton(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFD').replace(DEFAULT_IGNORABLE, '')) {
    const code = ch.codePointAt(0)!;
    // Fullwidth ASCII (U+FF01–FF5E) maps to ASCII by a fixed offset.
    const ascii = code >= 0xff01 && code <= 0xff5e ? String.fromCodePoint(code - 0xfee0) : ch;
    out += CONFUSABLES[ascii] ?? ascii;
  }
  // TS #39 maps m to rn (they look alike in many fonts); apply it after the letter mapping.
  return out.replace(/m/g, 'rn').replace(/\p{M}/gu, '').normalize('NFD');
}
