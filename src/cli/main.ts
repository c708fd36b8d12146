import { Command, Option } from 'commander';
import { colorForbiddenByEnv } from '../output/color.js';
import { endQuietlyOnClosedPipe } from '../output/closed-pipe.js';
import { debug, setDebug } from '../output/debug.js';
import { setJsonOutput } from '../output/json-mode.js';
import { packageVersion } from './package-version.js';
import { registerAccessCommand } from './commands/access.js';
import { registerApplyCommand } from './commands/apply.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerDriftCommand } from './commands/drift.js';
import { registerEmulatorCommand } from './commands/emulator.js';
import { registerExplainCommand } from './commands/explain.js';
import { registerCanCommand } from './commands/can.js';
import { registerWhoCanCommand } from './commands/who-can.js';
import { registerImportCommand } from './commands/import.js';
import { registerInitCommand } from './commands/init.js';
import { registerPlanCommand } from './commands/plan.js';
import { registerReportCommand } from './commands/report.js';
import { registerShowCommand } from './commands/show.js';
import { registerSsoConfigCommand } from './commands/sso-config.js';
import { registerValidateCommand } from './commands/validate.js';

const program = new Command('gatehouse')
  .description('AWS IAM Identity Center as code')
  .version(installedVersion())
  .showHelpAfterError();
// Wrong flags are user errors: exit 1 like any other (commander's default is also 1).
program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 1);
});

registerInitCommand(program);
registerValidateCommand(program);
registerPlanCommand(program);
registerApplyCommand(program);
registerDriftCommand(program);
registerImportCommand(program);
registerAccessCommand(program);
registerExplainCommand(program);
registerCanCommand(program);
registerWhoCanCommand(program);
registerAuditCommand(program);
registerEmulatorCommand(program);
registerShowCommand(program);
registerReportCommand(program);
registerSsoConfigCommand(program);

addCommonFlags(program);
endQuietlyOnClosedPipe(process.stdout);
endQuietlyOnClosedPipe(process.stderr);

await program.parseAsync(process.argv);

/** package.json's version; an installation without it cannot say what it is, so it stops in one line. */
function installedVersion(): string {
  try {
    return packageVersion();
  } catch (err) {
    process.stderr.write(`Error: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

/**
 * `--no-color` and `--debug` on every command, as users of Terraform and the AWS CLI expect, and
 * the environment's word on colour (NO_COLOR, TERM=dumb) applied before any command runs, so a
 * command only has to check its own `color` option and whether its stream is a terminal.
 */
function addCommonFlags(root: Command): void {
  const visit = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      const has = (flag: string) => sub.options.some((o) => o.long === flag);
      if (!has('--no-color')) sub.addOption(new Option('--no-color', 'no ANSI colours (also NO_COLOR, TERM=dumb)'));
      if (!has('--debug')) sub.addOption(new Option('--debug', 'more detail on stderr: timings, stacks of internal errors (never secrets)'));
      visit(sub);
    }
  };
  visit(root);
  root.hook('preAction', (_root, actionCommand) => {
    const opts = actionCommand.opts<{ debug?: boolean; format?: string }>();
    setDebug(opts.debug === true || process.env.GATEHOUSE_DEBUG === '1');
    setJsonOutput(opts.format === 'json');
    if (colorForbiddenByEnv()) actionCommand.setOptionValue('color', false);
    debug(`gatehouse ${actionCommand.name()} on Node ${process.version} (${process.platform}/${process.arch})`);
  });
}
