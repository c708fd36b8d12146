import type { Command } from 'commander';
import { action, EXIT_ERROR } from '../exit.js';

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('(not implemented yet)')
    .action(
      action(async () => {
        process.stderr.write('gatehouse validate: not implemented yet\n');
        return EXIT_ERROR;
      }),
    );
}
