import { Option, type Command } from 'commander';
import { readOrganizationFile } from '../../config/organization-file.js';
import { formatDiagnostic, hasErrors } from '../../diagnostics/diagnostic.js';
import { UserError } from '../../diagnostics/errors.js';
import type { Organization } from '../../model/entities.js';
import { startEmulator } from '../../stores/emulator/start-emulator.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';

interface EmulatorFlags {
  readonly port: string;
  readonly db: string;
  readonly organization?: string;
  readonly tps?: string;
  readonly latency?: string;
  readonly failRate?: string;
  readonly seed?: string;
  readonly callerAccount?: string;
  readonly format: 'text' | 'json';
}

export function registerEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description('serve the embedded Identity Center over the AWS JSON protocol on 127.0.0.1 (for the AWS store, the AWS CLI, SDKs)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--db <file>', 'SQLite database of the embedded store', '.gatehouse/live.db')
    .option('--organization <file>', 'organisation YAML to load into the database (docs/format.md)')
    .option('--tps <n>', 'requests per second per service before ThrottlingException (SSO Admin APIs share one bucket)')
    .option('--latency <ms>', 'delay added to every request')
    .option('--fail-rate <p>', 'fraction of requests answered with InternalServerException or ThrottlingException')
    .option('--seed <n>', 'seed of the failure sequence (same seed, same failures)')
    .addOption(new Option('--format <format>', 'how to announce the address (json: one line, schemas/output/emulator.schema.json)').choices(['text', 'json']).default('text'))
    .option('--caller-account <id>', 'account sts:GetCallerIdentity answers (default: the management account); another account calls as a delegated administrator')
    .action(
      action(async (flags: EmulatorFlags) => {
        let organization: Organization | undefined;
        if (flags.organization) {
          const read = await readOrganizationFile(flags.organization);
          for (const d of read.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
          if (hasErrors(read.diagnostics) || !read.organization) return EXIT_ERROR;
          organization = read.organization;
        }
        const emulator = await startEmulator({
          port: integer('--port', flags.port, 0, 65535),
          dbPath: flags.db,
          ...(organization ? { organization } : {}),
          ...(flags.tps !== undefined ? { tps: number('--tps', flags.tps, 0.001, 1e6) } : {}),
          ...(flags.latency !== undefined ? { latencyMs: number('--latency', flags.latency, 0, 600_000) } : {}),
          ...(flags.failRate !== undefined ? { failRate: number('--fail-rate', flags.failRate, 0, 1) } : {}),
          ...(flags.seed !== undefined ? { seed: integer('--seed', flags.seed, 0, 2 ** 32 - 1) } : {}),
          ...(flags.callerAccount !== undefined ? { callerAccountId: accountId('--caller-account', flags.callerAccount) } : {}),
        });
        process.stdout.write(
          flags.format === 'json'
            ? `${JSON.stringify({ format_version: 1, url: emulator.url, instance_arn: emulator.instanceArn })}\n`
            : `Emulator listening on ${emulator.url} (instance ${emulator.instanceArn})\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await emulator.close();
        return EXIT_OK;
      }),
    );
}

function accountId(flag: string, text: string): string {
  if (!/^\d{12}$/.test(text)) throw new UserError(`${flag} must be a 12-digit AWS account id, got ${JSON.stringify(text)}`);
  return text;
}

function number(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new UserError(`${flag} must be a number between ${min} and ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = number(flag, text, min, max);
  if (!Number.isInteger(value)) throw new UserError(`${flag} must be a whole number, got ${JSON.stringify(text)}`);
  return value;
}
