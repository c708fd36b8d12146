import type { Command } from 'commander';
import { action, EXIT_ERROR } from '../exit.js';

export function registerAccessCommand(program: Command): void {
  program
    .command('access')
    .description('(not implemented yet)')
    .action(
      action(async () => {
        process.stderr.write('gatehouse access: not implemented yet\n');
        return EXIT_ERROR;
      }),
    );
}
