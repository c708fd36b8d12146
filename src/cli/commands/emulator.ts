import type { Command } from 'commander';
import { action, EXIT_ERROR } from '../exit.js';

export function registerEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description('(not implemented yet)')
    .action(
      action(async () => {
        process.stderr.write('gatehouse emulator: not implemented yet\n');
        return EXIT_ERROR;
      }),
    );
}
