import { Option, type Command } from 'commander';
import { parseSince } from '../../audit/parse-since.js';
import { auditRecordJson, renderAuditLogJson, renderAuditLogText } from '../../audit/render-audit-log.js';
import { UserError } from '../../diagnostics/errors.js';
import { escapeJsonText } from '../../output/escape-json.js';
import { migrateState } from '../../state/migrate-state.js';
import { readStateSetting } from '../../config/read-state-setting.js';
import { escapeTerminal } from '../../output/escape-terminal.js';
import { chooseStateUrl, openState } from '../../state/open-state.js';
import type { SharedState } from '../../state/shared-state.js';
import { verifyState } from '../../state/verify-state.js';
import { DEFAULT_STORE_URL } from '../../stores/open-store.js';
import { parseDuration } from '../context.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';

const DEFAULT_STORE = DEFAULT_STORE_URL;
export const AUDIT_EXPORT_FORMAT_VERSION = 1;

interface StateOptions {
  readonly config: string;
  readonly store: string;
  readonly state?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
}

interface VerifyOptions extends StateOptions {
  readonly expectHead?: string;
}

interface ExportOptions extends StateOptions {
  readonly since?: string;
  readonly afterSeq?: string;
  readonly format: 'jsonl';
}

interface MigrateOptions {
  readonly from: string;
  readonly to: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly lockTimeout: string;
}

interface LogOptions extends StateOptions {
  readonly since?: string;
  readonly principal?: string;
  readonly plan?: string;
  readonly format: 'text' | 'json';
}

function addStateOptions(cmd: Command): Command {
  return cmd
    .option('--config <dir>', 'config directory whose gatehouse.yaml may name the state (`state:`)', '.')
    .option('--store <url>', 'live store: sqlite:PATH (embedded) or aws; picks the default --state', DEFAULT_STORE)
    .option('--state <url>', 'shared state: sqlite:PATH or dynamodb:TABLE[@REGION] (default: `state:` in gatehouse.yaml, else the store file; .gatehouse/audit.db for aws)')
    .option('--region <region>', 'AWS region of a dynamodb: state')
    .option('--profile <name>', 'AWS profile of a dynamodb: state')
    .option('--endpoint-url <url>', 'DynamoDB endpoint of a dynamodb: state (e.g. a local one)');
}

/** Reading commands open the state read-only: a typo in --store is an error, not a new file. */
async function openForReading(opts: StateOptions): Promise<SharedState> {
  const url =
    opts.state !== undefined
      ? opts.state
      : chooseStateUrl({ configured: readStateSetting(opts.config), configDir: opts.config, storeUrl: opts.store });
  return openState(url, {
    readOnly: true,
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
  });
}

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('read and verify the tamper-evident audit trail of applies');

  addStateOptions(
    audit
      .command('verify')
      .description('check the hash chain and the write-ahead records: exit 0 when intact, 1 naming the first problem')
      .option('--expect-head <hash>', 'also require that the chain still holds this head hash (one published earlier, e.g. in a CI log)'),
  ).action(
    action(async (opts: VerifyOptions) => {
      const state = await openForReading(opts);
      try {
        const result = await verifyState(state);
        const chain = result.chain;
        if (!chain.ok) {
          process.stderr.write(`Audit log BROKEN: record ${chain.seq}: ${chain.reason}\n`);
          return EXIT_ERROR;
        }
        if (opts.expectHead !== undefined && !(await state.readAudit()).some((r) => r.hash === opts.expectHead)) {
          process.stderr.write(`Audit log BROKEN: it no longer holds the record with hash ${opts.expectHead} (truncated or rewritten?)\n`);
          return EXIT_ERROR;
        }
        if (result.unresolved.length > 0) {
          process.stderr.write(`Audit log has ${result.unresolved.length} unresolved intent${result.unresolved.length === 1 ? '' : 's'} (a write whose outcome was never recorded):\n`);
          for (const r of result.unresolved.slice(0, 20)) process.stderr.write(`  ${escapeTerminal(`#${r.seq} ${r.time} ${r.operation} ${r.target} plan=${r.planId.slice(0, 12)}`)}\n`);
          if (result.unresolved.length > 20) process.stderr.write(`  … and ${result.unresolved.length - 20} more\n`);
          process.stderr.write('Run gatehouse apply again: it reads the live objects and records what it finds.\n');
          return EXIT_ERROR;
        }
        process.stdout.write(`Audit log OK: ${chain.count} records\n`);
        // The head hash is what to publish elsewhere: whoever can rewrite the file can rewrite
        // a whole chain, but not a hash already printed in last week's CI log.
        if (chain.count > 0) process.stdout.write(`head: ${chain.lastHash}\n`);
        return EXIT_OK;
      } finally {
        await state.close();
      }
    }),
  );

  addStateOptions(
    audit
      .command('log')
      .description('print audit records')
      .option('--since <when>', 'ISO date or instant, or a look-back such as 7d, 12h')
      .option('--principal <name>', 'only records about this user or group')
      .option('--plan <id>', 'only records of this plan (a prefix is enough)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text')),
  ).action(
    action(async (opts: LogOptions) => {
      const since = opts.since === undefined ? undefined : parseSince(opts.since, new Date());
      const state = await openForReading(opts);
      try {
        const records = await state.readAudit({
          ...(since ? { since } : {}),
          ...(opts.principal !== undefined ? { principal: opts.principal } : {}),
          ...(opts.plan !== undefined ? { planId: opts.plan } : {}),
        });
        process.stdout.write(opts.format === 'json' ? renderAuditLogJson(records) : renderAuditLogText(records));
        return EXIT_OK;
      } finally {
        await state.close();
      }
    }),
  );

  addStateOptions(
    audit
      .command('export')
      .description('write audit records for a SIEM: one JSON object per line (JSON Lines), oldest first')
      .addOption(new Option('--format <format>', 'output format').choices(['jsonl']).default('jsonl'))
      .option('--since <when>', 'ISO date or instant, or a look-back such as 7d, 12h')
      .option('--after-seq <n>', 'only records after this sequence number (the last one a previous export shipped)'),
  ).action(
    action(async (opts: ExportOptions) => {
      const since = opts.since === undefined ? undefined : parseSince(opts.since, new Date());
      const afterSeq = opts.afterSeq === undefined ? undefined : Number(opts.afterSeq);
      if (afterSeq !== undefined && !(Number.isInteger(afterSeq) && afterSeq >= 0)) throw new UserError(`--after-seq must be a whole number, not "${opts.afterSeq}"`);
      const state = await openForReading(opts);
      try {
        const records = await state.readAudit({ ...(since ? { since } : {}), ...(afterSeq !== undefined ? { afterSeq } : {}) });
        // Each line names the state it came from, so one SIEM index can hold several instances.
        const lines = records.map((r) => escapeJsonText(JSON.stringify({ format_version: AUDIT_EXPORT_FORMAT_VERSION, state: state.url, ...auditRecordJson(r) })));
        process.stdout.write(lines.map((l) => `${l}\n`).join(''));
        return EXIT_OK;
      } finally {
        await state.close();
      }
    }),
  );

  audit
    .command('migrate')
    .description('copy the audit chain and applied plans to another state backend, every hash kept (e.g. sqlite: to dynamodb:)')
    .requiredOption('--from <url>', 'the state to copy: sqlite:PATH or dynamodb:TABLE[@REGION]')
    .requiredOption('--to <url>', 'where to copy it: empty, or holding a prefix of the source (a migration run again)')
    .option('--region <region>', 'AWS region of a dynamodb: state without @REGION')
    .option('--profile <name>', 'AWS profile of a dynamodb: state')
    .option('--endpoint-url <url>', 'DynamoDB endpoint of a dynamodb: state (e.g. a local one)')
    .option('--lock-timeout <duration>', 'how long to wait for an apply that holds the target lock', '30s')
    .action(
      action(async (opts: MigrateOptions) => {
        const aws = {
          ...(opts.region ? { region: opts.region } : {}),
          ...(opts.profile ? { profile: opts.profile } : {}),
          ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
        };
        const source = await openState(opts.from, { ...aws, readOnly: true });
        try {
          const target = await openState(opts.to, aws);
          try {
            if (source.url === target.url) throw new UserError(`--from and --to are the same state (${source.url})`);
            // No apply may append to the target while the chain is copied under it.
            const lease = await target.acquireLock({ owner: 'gatehouse audit migrate', timeoutMs: parseDuration(opts.lockTimeout) });
            try {
              const result = await migrateState(source, target);
              if (!result.ok) {
                process.stderr.write(`Refusing to migrate: ${result.reason}\n`);
                return EXIT_ERROR;
              }
              process.stdout.write(
                `Copied ${result.copied} audit records${result.kept ? ` (${result.kept} were there already)` : ''} and ${result.plansCopied} applied plans from ${source.url} to ${target.url}.\n` +
                  `Audit log OK: ${result.count} records\n${result.count > 0 ? `head: ${result.lastHash}\n` : ''}`,
              );
              return EXIT_OK;
            } finally {
              await lease.release().catch(() => {});
            }
          } finally {
            await target.close();
          }
        } finally {
          await source.close();
        }
      }),
    );
}
