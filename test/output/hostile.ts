// A name as an attacker would write it (issue #13): ESC sequences (colour, conceal), NUL, C1 CSI,
// a newline that starts a forged line and a forged GitHub workflow command, a Markdown table
// pipe, backticks, HTML, a mention, a link and a heading. The loader rejects most of this; a
// live store edited by hand need not, so renderers are fed it directly.
export const HOSTILE =
  'ops\u001b[31mred\u001b[8mhidden\u0000nul\u009b2J\nFORGED line::warning file=x::fake|pipe|`tick``<img src=x>@acme/admins [click](https://evil.example) # head\u202eevil';

/** Every control character a renderer may emit itself: only its own newlines. */
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** No line of the output is one the hostile name made up. */
export function forgedLines(output: string): string[] {
  return output.split('\n').filter((l) => /^\s*(FORGED|::)/.test(l));
}
