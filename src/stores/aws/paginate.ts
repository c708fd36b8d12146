import type { AwsCaller, AwsInput, AwsService } from '../aws-caller.js';

// Every List* operation pages with NextToken; readers always read every page.

export async function listAll<T>(
  caller: AwsCaller,
  service: AwsService,
  operation: string,
  input: AwsInput,
  resultKey: string,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const output = await caller.call(service, operation, token ? { ...input, NextToken: token } : input);
    items.push(...((output[resultKey] as T[] | undefined) ?? []));
    token = typeof output.NextToken === 'string' && output.NextToken !== '' ? output.NextToken : undefined;
  } while (token);
  return items;
}
