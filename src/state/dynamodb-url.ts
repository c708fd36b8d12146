import { UserError } from '../diagnostics/errors.js';

// `dynamodb:TABLE` or `dynamodb:TABLE@REGION`. Table names follow DynamoDB's rule (3–255 of
// `[a-zA-Z0-9_.-]`), so a typo fails here with a clear message instead of as a
// ValidationException from AWS on the first write.

export interface DynamoDbStateUrl {
  readonly table: string;
  readonly region?: string;
}

const TABLE = /^[a-zA-Z0-9_.-]{3,255}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function parseDynamoDbStateUrl(url: string): DynamoDbStateUrl {
  const rest = url.slice('dynamodb:'.length);
  const at = rest.lastIndexOf('@');
  const table = at === -1 ? rest : rest.slice(0, at);
  const region = at === -1 ? undefined : rest.slice(at + 1);
  if (!TABLE.test(table)) {
    throw new UserError(`--state ${url}: "${table}" is not a DynamoDB table name (3 to 255 of a-z, A-Z, 0-9, _ . -); e.g. dynamodb:gatehouse-state@eu-west-1`);
  }
  if (region !== undefined && !REGION.test(region)) {
    throw new UserError(`--state ${url}: "${region}" is not an AWS region (e.g. eu-west-1)`);
  }
  return { table, ...(region !== undefined ? { region } : {}) };
}
