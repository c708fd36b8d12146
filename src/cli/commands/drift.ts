import type { Command } from 'commander';
import { action, EXIT_ERROR } from '../exit.js';

export function registerDriftCommand(program: Command): void {
  program
    .command('drift')
    .description('(not implemented yet)')
    .action(
      action(async () => {
        process.stderr.write('gatehouse drift: not implemented yet\n');
        return EXIT_ERROR;
      }),
    );
}
