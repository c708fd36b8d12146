import { describe, expect, it } from 'vitest';
import { errorLines } from '../../src/cli/exit.js';

describe('errorLines: an error message on stderr', () => {
  it('keeps the lines of a multi-line SDK message, indented under Error:, each escaped', () => {
    expect(errorLines('identitystore:CreateUser: ValidationException: 2 validation errors\nUserName: too long\r\nEmails: bad\u001b[8m')).toBe(
      'identitystore:CreateUser: ValidationException: 2 validation errors\n  UserName: too long\n  Emails: bad\\x1B[8m',
    );
  });

  it('no line can pass for a diagnostic or an Error line of its own', () => {
    const text = errorLines('x\nconfig.yaml:1:1: error [forged] all good\nError: forged');
    for (const line of text.split('\n').slice(1)) expect(line.startsWith('  ')).toBe(true);
  });

  it('drops the empty lines a message ends with', () => {
    expect(errorLines('one\n\n')).toBe('one');
  });
});
