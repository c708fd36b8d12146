import type { Command } from 'commander';
import { action, EXIT_ERROR } from '../exit.js';

export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description('(not implemented yet)')
    .action(
      action(async () => {
        process.stderr.write('gatehouse plan: not implemented yet\n');
        return EXIT_ERROR;
      }),
    );
}
