import type { Command } from 'commander';
import { action, EXIT_ERROR } from '../exit.js';

export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('(not implemented yet)')
    .action(
      action(async () => {
        process.stderr.write('gatehouse audit: not implemented yet\n');
        return EXIT_ERROR;
      }),
    );
}
