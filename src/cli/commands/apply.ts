import type { Command } from 'commander';
import { action, EXIT_ERROR } from '../exit.js';

export function registerApplyCommand(program: Command): void {
  program
    .command('apply')
    .description('(not implemented yet)')
    .action(
      action(async () => {
        process.stderr.write('gatehouse apply: not implemented yet\n');
        return EXIT_ERROR;
      }),
    );
}
