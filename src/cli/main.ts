import { Command } from 'commander';
import { registerAccessCommand } from './commands/access.js';
import { registerApplyCommand } from './commands/apply.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerDriftCommand } from './commands/drift.js';
import { registerEmulatorCommand } from './commands/emulator.js';
import { registerExplainCommand } from './commands/explain.js';
import { registerImportCommand } from './commands/import.js';
import { registerPlanCommand } from './commands/plan.js';
import { registerReportCommand } from './commands/report.js';
import { registerShowCommand } from './commands/show.js';
import { registerSsoConfigCommand } from './commands/sso-config.js';
import { registerValidateCommand } from './commands/validate.js';

const program = new Command('gatehouse')
  .description('AWS IAM Identity Center as code')
  .version('0.1.0')
  .showHelpAfterError();
// Wrong flags are user errors: exit 1 like any other (commander's default is also 1).
program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 1);
});

registerValidateCommand(program);
registerPlanCommand(program);
registerApplyCommand(program);
registerDriftCommand(program);
registerImportCommand(program);
registerAccessCommand(program);
registerExplainCommand(program);
registerAuditCommand(program);
registerEmulatorCommand(program);
registerShowCommand(program);
registerReportCommand(program);
registerSsoConfigCommand(program);

await program.parseAsync(process.argv);
