import { Option, type Command } from 'commander';
import { openAuditLog } from '../../audit/audit-log.js';
import { parseSince } from '../../audit/parse-since.js';
import { renderAuditLogJson, renderAuditLogText } from '../../audit/render-audit-log.js';
import { auditDbPath } from '../../audit/audit-location.js';
import { DEFAULT_STORE_URL } from '../../stores/open-store.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';

const DEFAULT_STORE = DEFAULT_STORE_URL;

interface VerifyOptions {
  readonly store: string;
}

interface LogOptions {
  readonly store: string;
  readonly since?: string;
  readonly principal?: string;
  readonly plan?: string;
  readonly format: 'text' | 'json';
}

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('read and verify the tamper-evident audit trail of applies');

  audit
    .command('verify')
    .description('check the hash chain: exit 0 when intact, 1 naming the first broken record')
    .option('--store <url>', 'live store: sqlite:PATH (embedded) or aws', DEFAULT_STORE)
    .action(
      action(async (opts: VerifyOptions) => {
        const log = openAuditLog(auditDbPath(opts.store), { mustExist: true });
        try {
          const result = log.verify();
          if (!result.ok) {
            process.stderr.write(`Audit log BROKEN: record ${result.seq}: ${result.reason}\n`);
            return EXIT_ERROR;
          }
          process.stdout.write(`Audit log OK: ${result.count} records\n`);
          // The head hash is what to publish elsewhere: whoever can rewrite the file can rewrite
          // a whole chain, but not a hash already printed in last week's CI log.
          if (result.count > 0) process.stdout.write(`head: ${result.lastHash}\n`);
          return EXIT_OK;
        } finally {
          log.close();
        }
      }),
    );

  audit
    .command('log')
    .description('print audit records')
    .option('--store <url>', 'live store: sqlite:PATH (embedded) or aws', DEFAULT_STORE)
    .option('--since <when>', 'ISO date or instant, or a look-back such as 7d, 12h')
    .option('--principal <name>', 'only records about this user or group')
    .option('--plan <id>', 'only records of this plan (a prefix is enough)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      action(async (opts: LogOptions) => {
        const since = opts.since === undefined ? undefined : parseSince(opts.since, new Date());
        const log = openAuditLog(auditDbPath(opts.store), { mustExist: true });
        try {
          const records = log.read({
            ...(since ? { since } : {}),
            ...(opts.principal !== undefined ? { principal: opts.principal } : {}),
            ...(opts.plan !== undefined ? { planId: opts.plan } : {}),
          });
          process.stdout.write(opts.format === 'json' ? renderAuditLogJson(records) : renderAuditLogText(records));
          return EXIT_OK;
        } finally {
          log.close();
        }
      }),
    );
}
