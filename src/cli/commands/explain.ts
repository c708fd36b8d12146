import type { Command } from 'commander';
import { action, EXIT_ERROR } from '../exit.js';

export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .description('(not implemented yet)')
    .action(
      action(async () => {
        process.stderr.write('gatehouse explain: not implemented yet\n');
        return EXIT_ERROR;
      }),
    );
}
