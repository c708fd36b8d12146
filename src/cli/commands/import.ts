import type { Command } from 'commander';
import { action, EXIT_ERROR } from '../exit.js';

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('(not implemented yet)')
    .action(
      action(async () => {
        process.stderr.write('gatehouse import: not implemented yet\n');
        return EXIT_ERROR;
      }),
    );
}
