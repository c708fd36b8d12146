import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { repoRoot } from '../helpers/cli.js';

// dynalite (an implementation of the DynamoDB API on LevelDB, in memory here) in a child
// process on 127.0.0.1 and a free port: the test's own event loop stays free for spawnSync,
// and the server stops with the test (killed in afterAll; it also dies with its stdin).

export interface Dynalite {
  readonly endpoint: string;
  /** Environment for a CLI child: the endpoint, a region and dummy credentials. */
  readonly env: Record<string, string>;
  /** Creates a table with the state's key schema (docs/aws-setup.md): pk string, sk number. */
  createTable(name: string): Promise<void>;
  client(): DynamoDBClient;
  stop(): Promise<void>;
}

const SERVER = `
const dynalite = require(process.argv[1]);
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

export const DUMMY_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'dynalite',
  AWS_SECRET_ACCESS_KEY: 'dynalite',
  AWS_REGION: 'eu-west-1',
};

export async function startDynalite(): Promise<Dynalite> {
  const entry = createRequire(`${repoRoot}/package.json`).resolve('dynalite');
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER, entry], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('exit', (code) => reject(new Error(`dynalite exited with ${code}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: DynamoDBClient[] = [];
  const client = () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const c = new DynamoDBClient({ endpoint, region: DUMMY_AWS_ENV.AWS_REGION, credentials: { accessKeyId: 'dynalite', secretAccessKey: 'dynalite' } });
    clients.push(c);
    return c;
  };
  return {
    endpoint,
    env: { ...DUMMY_AWS_ENV, AWS_ENDPOINT_URL_DYNAMODB: endpoint },
    client,
    async createTable(name) {
      await client().send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'N' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
        }),
      );
      // dynalite answers while the table is CREATING and marks it ACTIVE on a timer; a request
      // that comes first gets "Requested resource not found" (seen under load as "table … does
      // not exist" in dynamodb-state.test.ts). Wait as AWS's waitUntilTableExists would.
      for (let i = 0; ; i++) {
        const { Table } = await client().send(new DescribeTableCommand({ TableName: name }));
        if (Table?.TableStatus === 'ACTIVE') return;
        if (i >= 200) throw new Error(`dynalite: table ${name} still ${Table?.TableStatus} after 2 s`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async stop() {
      for (const c of clients) c.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
