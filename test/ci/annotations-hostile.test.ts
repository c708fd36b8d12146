import { describe, expect, it } from 'vitest';
import { annotationCommand, annotationCommands } from '../../src/ci/workflow-commands.js';
import { HOSTILE, RAW_CONTROL } from '../output/hostile.js';

// Issue 13: the annotation renderer, like every other, turns a hostile name (ESC, NUL, C1, a
// newline, `|`, backticks, `::`) into inert text: one workflow command per diagnostic, no
// terminal sequence in the job log, no second command.

describe('annotations of a hostile name', () => {
  const d = {
    severity: 'error' as const,
    rule: `guardrail${HOSTILE}`,
    message: `group ${HOSTILE} may not hold AdministratorAccess`,
    source: { file: `identity/${HOSTILE}.yaml`, line: 4, col: 7 },
  };
  const line = annotationCommand(d, { workspace: '/repo', cwd: '/repo' });

  it('is one line holding one command, with no control character', () => {
    expect(line.split('\n')).toHaveLength(1);
    expect(line).not.toMatch(RAW_CONTROL);
    expect(line.startsWith('::error file=identity/ops')).toBe(true);
    // The only `::` that ends the properties is the command's own: the message's `::` follow it.
    expect(line.indexOf('::', 2)).toBe(line.indexOf(',title=') + line.slice(line.indexOf(',title=')).indexOf('::'));
  });

  it('keeps the location (line and col) and shows the name as visible escapes', () => {
    expect(line).toContain(',line=4,col=7,');
    expect(line).toContain('\\x1B[31mred');
    expect(line).toContain('\\x00nul');
  });

  it('a list of them gives exactly one command per diagnostic', () => {
    const lines = annotationCommands([d, { ...d, severity: 'warning' as const }], { workspace: '/repo', cwd: '/repo' });
    expect(lines).toHaveLength(2);
    expect(lines.join('\n').split('\n').filter((l) => l.startsWith('::'))).toHaveLength(2);
  });
});
