import { describe, expect, it } from 'vitest';
import { renderAccessDiffMarkdown, renderAccessDiffText, renderAccessJson, renderAccessMarkdown, renderAccessText } from '../../src/access/render-access.js';
import type { AccessGrant } from '../../src/access/effective-access.js';
import { formatDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { escapeMarkdown, markdownCode } from '../../src/output/escape-markdown.js';
import { escapeTerminal } from '../../src/output/escape-terminal.js';
import { stringifyJson } from '../../src/output/escape-json.js';
import { forgedLines, HOSTILE, RAW_CONTROL } from './hostile.js';

describe('escapeTerminal', () => {
  it('shows every control and invisible format character as an inert escape', () => {
    expect(escapeTerminal('a\u001b[8mb\u0000\n\t\u009b\u202e\u200b')).toBe('a\\x1B[8mb\\x00\\x0A\\x09\\x9B\\u202E\\u200B');
    expect(escapeTerminal('plain café ✓ 名前')).toBe('plain café ✓ 名前');
  });
});

describe('escapeMarkdown', () => {
  it('keeps a name from becoming a cell, code, HTML, a link, a heading or a mention', () => {
    expect(escapeMarkdown('# a|b `c` <b>x</b> [l](u) @team - *e*')).toBe('\\# a\\|b \\`c\\` &lt;b&gt;x&lt;/b&gt; \\[l\\](u) &#64;team - \\*e\\*');
    expect(escapeMarkdown('- item')).toBe('\\- item');
  });

  it('fences a code span longer than any backtick run, and escapes pipes in a table', () => {
    expect(markdownCode('a``b|c', { inTable: true })).toBe('``` a``b\\|c ```');
    expect(markdownCode('plain')).toBe('`plain`');
  });
});

describe('stringifyJson', () => {
  it('writes C1, bidi and line separators as \\u escapes and parses back to the same value', () => {
    const value = { name: 'x\u009b\u202e\u2028\u001by' };
    const json = stringifyJson(value);
    expect(json).not.toMatch(RAW_CONTROL);
    expect(json).not.toContain('\u2028');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('diagnostics cannot forge a location', () => {
  it('escapes `:`, `%` and newlines in the file name, and controls in the message', () => {
    const text = formatDiagnostic({ severity: 'error', rule: 'r', message: 'bad\n::error::x', source: { file: 'x:1:1: error [fake]\nnext%.yaml', line: 3, col: 5 } });
    expect(text).toBe('x%3A1%3A1%3A error [fake]%0Anext%25.yaml:3:5: error [r] bad\\x0A::error::x');
    expect(text.split(':').slice(1, 3)).toEqual(['3', '5']);
  });
});

describe('access renderers with a hostile name', () => {
  const grant: AccessGrant = {
    userName: HOSTILE,
    accountId: '111111111111',
    permissionSetName: 'Ops',
    paths: [{ kind: 'group', groupName: HOSTILE, source: { file: `${HOSTILE}.yaml`, line: 1, col: 2 } }],
  } as AccessGrant;
  const accounts = new Map([['111111111111', { id: '111111111111', name: HOSTILE, ouPath: '/Root', tags: {} }]]);

  it('text and access diff text: no control character, no forged line', () => {
    for (const text of [renderAccessText([grant], accounts), renderAccessDiffText({ gained: [grant], lost: [grant] }, accounts)]) {
      expect(text).not.toMatch(RAW_CONTROL);
      expect(forgedLines(text)).toEqual([]);
    }
  });

  it('markdown tables keep their columns whatever the names hold', () => {
    const tables = [renderAccessMarkdown([grant], accounts), renderAccessDiffMarkdown({ gained: [grant], lost: [] }, accounts)];
    for (const md of tables) {
      expect(md).not.toMatch(RAW_CONTROL);
      expect(forgedLines(md)).toEqual([]);
      const rows = md.split('\n').filter((l) => l.startsWith('|'));
      const columns = rows[0]!.split('|').length;
      for (const row of rows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(columns);
      expect(md).not.toContain('<img');
      expect(md).not.toMatch(/(^|[^;])@acme/);
    }
  });

  it('json is valid and lossless', () => {
    const json = renderAccessJson([grant]);
    expect(json).not.toMatch(RAW_CONTROL);
    expect((JSON.parse(json) as { grants: AccessGrant[] }).grants[0]!.userName).toBe(HOSTILE);
  });
});
