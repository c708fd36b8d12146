// Text from a config file or a live store is data, never control: a group name holding ESC can
// otherwise recolour, hide (`ESC[8m`) or rewrite (cursor movement) what a reviewer reads, and a
// newline can forge a whole line (issue #13). Every renderer passes such text through here.

/**
 * What a terminal, an editor or a log viewer may act on: C0 controls (newline and tab included:
 * inside a value they are not the renderer's own), DEL, C1 controls (U+009B is CSI for some
 * terminals), and the invisible format characters that reorder or hide text (bidi overrides and
 * isolates, zero-width marks, line and paragraph separators, BOM).
 */
// eslint-disable-next-line no-control-regex
export const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

/** `\x1B`, `\u202E`: visible, unambiguous and inert. */
export function visibleEscape(ch: string): string {
  const code = ch.codePointAt(0)!;
  return code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A value made safe to print on one line of a terminal. */
export function escapeTerminal(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, visibleEscape);
}

/** True when `text` holds nothing `escapeTerminal` would change. */
export const isTerminalSafe = (text: string): boolean => !new RegExp(UNSAFE_CHARACTERS.source).test(text);
