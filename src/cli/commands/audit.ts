import { Option, type Command } from 'commander';
import { parseSince } from '../../audit/parse-since.js';
import { renderAuditLogJson, renderAuditLogText } from '../../audit/render-audit-log.js';
import { defaultStateUrl, openState } from '../../state/open-state.js';
import type { SharedState } from '../../state/shared-state.js';
import { verifyState } from '../../state/verify-state.js';
import { DEFAULT_STORE_URL } from '../../stores/open-store.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';

const DEFAULT_STORE = DEFAULT_STORE_URL;

interface StateOptions {
  readonly store: string;
  readonly state?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
}

interface VerifyOptions extends StateOptions {
  readonly expectHead?: string;
}

interface LogOptions extends StateOptions {
  readonly since?: string;
  readonly principal?: string;
  readonly plan?: string;
  readonly format: 'text' | 'json';
}

function addStateOptions(cmd: Command): Command {
  return cmd
    .option('--store <url>', 'live store: sqlite:PATH (embedded) or aws; picks the default --state', DEFAULT_STORE)
    .option('--state <url>', 'shared state: sqlite:PATH or dynamodb:TABLE[@REGION] (default: the store file; .gatehouse/audit.db for aws)')
    .option('--region <region>', 'AWS region of a dynamodb: state')
    .option('--endpoint-url <url>', 'DynamoDB endpoint of a dynamodb: state (e.g. a local one)');
}

/** Reading commands open the state read-only: a typo in --store is an error, not a new file. */
async function openForReading(opts: StateOptions): Promise<SharedState> {
  return openState(opts.state ?? defaultStateUrl(opts.store), {
    readOnly: true,
    ...(opts.region ? { region: opts.region } : {}),
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
          for (const r of result.unresolved.slice(0, 20)) process.stderr.write(`  #${r.seq} ${r.time} ${r.operation} ${r.target} plan=${r.planId.slice(0, 12)}\n`);
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
}
