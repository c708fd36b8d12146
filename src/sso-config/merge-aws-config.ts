import type { ConfigSection } from './sso-profiles.js';

// Merging generated sections into an existing ~/.aws/config. The file belongs to the user:
// every line outside the sections Gatehouse writes is kept byte for byte (comments, blank
// lines, other profiles, CRLF line ends), and sections it wrote before are recognised by a
// marker comment so a profile the user lost access to is removed on the next run.

export const MANAGED_MARKER = '# managed by gatehouse sso-config; edits are replaced on the next --write';

interface ParsedSection {
  /** Trimmed header line, e.g. `[profile prod.Admin]`; '' for the lines before the first header. */
  readonly header: string;
  /** The section's raw lines, header included, with their line ends. */
  readonly raw: string[];
  managed: boolean;
}

export interface MergeResult {
  readonly text: string;
  readonly added: number;
  readonly replaced: number;
  readonly removed: number;
}

export function mergeAwsConfig(existing: string, sections: readonly ConfigSection[]): MergeResult {
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const parsed = parseSections(existing);
  const wanted = new Map(sections.map((s) => [normaliseHeader(s.header), s]));
  const rendered = (s: ConfigSection): string => [s.header, MANAGED_MARKER, ...s.lines].map((l) => `${l}${eol}`).join('');

  let replaced = 0;
  let removed = 0;
  const out: string[] = [];
  const placed = new Set<string>();
  for (const section of parsed) {
    const key = normaliseHeader(section.header);
    const next = section.header === '' ? undefined : wanted.get(key);
    if (next && !placed.has(key)) {
      // Replaced in place, so the file's order (and the user's grouping) stays as it was.
      out.push(separated(rendered(next), section.raw, eol));
      placed.add(key);
      replaced++;
    } else if (section.managed) {
      removed++;
    } else {
      out.push(section.raw.join(''));
    }
  }
  let text = out.join('');
  const added = sections.filter((s) => !placed.has(normaliseHeader(s.header)));
  if (added.length > 0) {
    if (text !== '' && !text.endsWith('\n')) text += eol;
    if (text !== '' && !/(\r?\n){2}$/.test(text)) text += eol;
    text += added.map(rendered).join(eol);
  }
  return { text, added: added.length, replaced, removed };
}

/** The blank lines that followed a replaced section stay, so neighbours keep their spacing. */
function separated(body: string, oldRaw: readonly string[], eol: string): string {
  let trailing = 0;
  for (let i = oldRaw.length - 1; i > 0 && oldRaw[i]!.trim() === ''; i--) trailing++;
  return body + eol.repeat(trailing);
}

function parseSections(text: string): ParsedSection[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const sections: ParsedSection[] = [{ header: '', raw: [], managed: false }];
  for (const line of lines) {
    const trimmed = line.trim();
    if (/^\[[^\]]+\]$/.test(trimmed)) sections.push({ header: trimmed, raw: [line], managed: false });
    else {
      const current = sections[sections.length - 1]!;
      if (trimmed === MANAGED_MARKER) current.managed = true;
      current.raw.push(line);
    }
  }
  return sections.filter((s) => s.raw.length > 0);
}

/** `[profile  a ]` and `[profile a]` name the same section for the AWS CLI. */
function normaliseHeader(header: string): string {
  return header.slice(1, -1).trim().split(/\s+/).join(' ');
}
