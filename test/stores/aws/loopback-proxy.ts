import { createServer as createHttpServer, request, type IncomingMessage } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

// Loopback stand-ins for an unreliable network between Gatehouse and AWS. Both bind 127.0.0.1
// on a free port and are closed by the test.

export interface LossyProxy {
  readonly url: string;
  /** Operations whose answer was dropped after the upstream had performed them. */
  readonly dropped: string[];
  close(): Promise<void>;
}

const operationOf = (req: IncomingMessage): string => String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';

/**
 * Forwards every request to `upstream`; for the first `times` requests of each operation
 * `lose` names, it waits until the upstream has answered (the write happened) and then cuts
 * the connection instead of passing the answer on: a response lost on its way back.
 */
export async function lossyProxy(upstream: string, lose: (operation: string) => boolean, times = 1): Promise<LossyProxy> {
  const seen = new Map<string, number>();
  const dropped: string[] = [];
  const target = new URL(upstream);
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation = operationOf(req);
      const n = (seen.get(operation) ?? 0) + 1;
      seen.set(operation, n);
      const drop = lose(operation) && n <= times;
      const out = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            if (drop) {
              dropped.push(operation);
              req.socket.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      out.on('error', () => req.socket.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dropped,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface HungEndpoint {
  readonly url: string;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Accepts TCP connections and never answers: the endpoint that used to hang every command. */
export async function hungEndpoint(): Promise<HungEndpoint> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createTcpServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('data', () => {}); // read and ignore
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface SeenRequest {
  /** `Service:Operation` as the target header names it, or `sts` for STS's form-encoded calls. */
  readonly operation: string;
  /** The region of the SigV4 credential scope (`Credential=KEY/DATE/REGION/SERVICE/aws4_request`). */
  readonly region: string | undefined;
}

export interface ObservingProxy {
  readonly url: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * Passes every request through unchanged and records which region signed it: the region the
 * SDK really used, whatever any flag or variable said. `rewrite` may replace an answer's body.
 */
export async function observingProxy(
  upstream: string,
  rewrite?: (operation: string, request: string, answer: string) => string,
): Promise<ObservingProxy> {
  const seen: SeenRequest[] = [];
  const target = new URL(upstream);
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation = operationOf(req) || 'sts';
      const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
      seen.push({ operation, region: scope?.[1] });
      const body = Buffer.concat(chunks);
      const out = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            let text = Buffer.concat(parts);
            if (rewrite && (answer.statusCode ?? 500) < 300) text = Buffer.from(rewrite(operation, body.toString('utf8'), text.toString('utf8')));
            const headers = { ...answer.headers, 'content-length': String(text.length) };
            delete headers['transfer-encoding'];
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(text);
          });
        },
      );
      out.on('error', () => req.socket.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
