import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { openState } from '../../src/state/open-state.js';
import { describeStateContract } from './state-contract.js';
import { startDynalite, type Dynalite } from './dynalite-server.js';

// The shared-state contract against `dynamodb:TABLE`, on dynalite (the DynamoDB API on
// LevelDB) in a child process on 127.0.0.1: one table per case.

let dynalite: Dynalite;
let n = 0;

describeStateContract(
  'dynamodb',
  async () => {
    dynalite = await startDynalite();
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'dynalite', AWS_SECRET_ACCESS_KEY: 'dynalite' });
    return {
      env: dynalite.env,
      async fresh() {
        const table = `gatehouse-contract-${++n}`;
        await dynalite.createTable(table);
        const url = `dynamodb:${table}@eu-west-1`;
        return { url, open: (options) => openState(url, { readOnly: options?.readOnly === true, endpointUrl: dynalite.endpoint }) };
      },
      async truncate(url, count) {
        const table = url.slice('dynamodb:'.length).split('@')[0]!;
        const state = await openState(url, { endpointUrl: dynalite.endpoint, readOnly: true });
        const records = await state.readAudit({ afterSeq: count });
        await state.close();
        const client = dynalite.client();
        for (const r of records) await client.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'audit' }, sk: { N: String(r.seq) } } }));
      },
    };
  },
  async () => dynalite?.stop(),
);
