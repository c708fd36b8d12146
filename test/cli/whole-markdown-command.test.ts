// The command a shortened Markdown output names for its whole text: the same input, each value
// one shell word (a name with a space or a quote is quoted as sh reads it back), --max-chars 0.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellWord, wholeMarkdownCommand } from '../../src/cli/whole-markdown-command.js';

describe('wholeMarkdownCommand', () => {
  it('repeats the input flags, quotes what the shell would split, and asks for no limit', () => {
    const command = wholeMarkdownCommand('access', { config: 'my identity', store: 'sqlite:.gatehouse/live.db', region: 'eu-west-1' }, ['--user', "o'brien@example.com"]);
    expect(command).toBe(`gatehouse access --user 'o'\\''brien@example.com' --config 'my identity' --region eu-west-1 --format markdown --max-chars 0`);
    // sh reads every value back as one word, unchanged.
    const words = execFileSync('sh', ['-c', `printf '%s\\n' ${command.slice('gatehouse '.length)}`], { encoding: 'utf8' }).trimEnd().split('\n');
    expect(words).toEqual(['access', '--user', "o'brien@example.com", '--config', 'my identity', '--region', 'eu-west-1', '--format', 'markdown', '--max-chars', '0']);
    expect(shellWord('sqlite:/tmp/x.db')).toBe('sqlite:/tmp/x.db');
  });
});
