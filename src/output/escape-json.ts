
// JSON.stringify already escapes C0 controls and quotes, but leaves DEL, C1 controls, bidi
// overrides and U+2028/2029 raw; a reader that prints a string value (jq -r, a log viewer) would
// then pass them to the terminal. They can only occur inside strings, so writing them as \uXXXX
// keeps the document identical once parsed.

/** `JSON.stringify(value, null, 2)` with every unsafe character as a `\uXXXX` escape. */
export function stringifyJson(value: unknown): string {
  return escapeJsonText(JSON.stringify(value, null, 2));
}

/** The unsafe characters JSON.stringify leaves raw (it escapes U+0000–U+001F itself). */
const RAW_IN_JSON = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

export function escapeJsonText(json: string): string {
  return json.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
