import http from 'node:http';
import type { AddressInfo } from 'node:net';

// An HTTP proxy in front of dynalite that records every DynamoDB call (operation, partition
// key, condition) and can lose the answer to a chosen call after forwarding it, as a dropped
// connection does: the write happened, the client never hears so.

export interface RecordedCall {
  readonly operation: string;
  /** The `pk` of the item written, updated, deleted or read (Query: the key condition's value). */
  readonly partition: string | undefined;
  readonly condition: string | undefined;
  /** The access key id the request was signed with. */
  readonly accessKeyId: string | undefined;
}

export interface RecordingProxy {
  readonly endpoint: string;
  readonly calls: RecordedCall[];
  /** Forward the `nth` (1-based, counted from now) call of `operation`, then drop the connection unanswered. */
  loseAnswer(operation: string, nth: number): void;
  stop(): Promise<void>;
}

interface Body {
  Item?: { pk?: { S?: string } };
  Key?: { pk?: { S?: string } };
  ExpressionAttributeValues?: Record<string, { S?: string }>;
  ConditionExpression?: string;
}

export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const target = new URL(upstream);
  const calls: RecordedCall[] = [];
  let lose: { operation: string; remaining: number } | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
      let body: Body = {};
      try {
        body = JSON.parse(raw.toString('utf8')) as Body;
      } catch {
        // Not JSON: recorded without a partition.
      }
      const partition = body.Item?.pk?.S ?? body.Key?.pk?.S ?? body.ExpressionAttributeValues?.[':pk']?.S;
      const accessKeyId = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
      calls.push({ operation, partition, condition: body.ConditionExpression, accessKeyId });
      const drop = lose !== undefined && lose.operation === operation && --lose.remaining === 0;
      if (drop) lose = undefined;
      const forward = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (upstreamRes) => {
          const answer: Buffer[] = [];
          upstreamRes.on('data', (c: Buffer) => answer.push(c));
          upstreamRes.on('end', () => {
            if (drop) {
              req.socket.destroy();
              return;
            }
            res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
            res.end(Buffer.concat(answer));
          });
        },
      );
      forward.on('error', () => req.socket.destroy());
      forward.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    loseAnswer(operation, nth) {
      lose = { operation, remaining: nth };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
