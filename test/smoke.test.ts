import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/diagnostics/diagnostic.js';

describe('formatDiagnostic', () => {
  it('prints file:line:col: severity [rule] message', () => {
    expect(
      formatDiagnostic({ severity: 'error', rule: 'schema', message: 'bad', source: { file: 'a.yaml', line: 3, col: 5 } }),
    ).toBe('a.yaml:3:5: error [schema] bad');
  });
});
