import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsServiceError, type AwsOutput, type AwsService } from '../aws-caller.js';
import { faultInjector } from './fault-injection.js';
import { callerIdentityIn, isQueryRequest, queryAction, sendCallerIdentity, sendQueryError } from './sts-query.js';
import { errorStatus, loadServiceModels, resolveTarget, type ServiceModel } from './service-models.js';
import { TokenBucket } from './token-bucket.js';
import { validateInput } from './validate-input.js';

// AWS JSON 1.1 over HTTP, as the SDKs and the AWS CLI speak it: POST / with
// `X-Amz-Target: <prefix>.<Operation>`, a JSON body, and errors as `{"__type", "message"}` with
// the `x-amzn-ErrorType` header. Signatures are accepted unverified: clients sign with fake keys.

export interface AwsJsonBackend {
  call(service: AwsService, operation: string, input: Record<string, unknown>): AwsOutput | Promise<AwsOutput>;
}

export interface AwsJsonServerOptions {
  readonly backend: AwsJsonBackend;
  readonly port?: number;
  /** Requests per second per service (SSO Admin APIs share one bucket, as on AWS); unlimited when unset. */
  readonly tps?: number;
  /** Delay added to every request, in milliseconds. */
  readonly latencyMs?: number;
  /** Fraction (0..1) of requests answered with InternalServerException or ThrottlingException. */
  readonly failRate?: number;
  readonly seed?: number;
  /** The account sts:GetCallerIdentity answers; without it STS is not served. */
  readonly callerAccountId?: () => string;
  /** Changes the caller account (POST /_emulator/caller `{"Account": "123456789012" | null}`). */
  readonly setCallerAccountId?: (accountId: string | undefined) => void;
  readonly onClose?: () => void | Promise<void>;
}

export interface AwsJsonServer {
  readonly url: string;
  readonly port: number;
  /** Requests received per `service:Operation` since start or the last reset. */
  callCounts(): Record<string, number>;
  resetCounts(): void;
  close(): Promise<void>;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function serveAwsJson(options: AwsJsonServerOptions): Promise<AwsJsonServer> {
  const models = loadServiceModels();
  const counts = new Map<string, number>();
  const buckets = new Map<AwsService, TokenBucket>();
  const faults = faultInjector(options.failRate ?? 0, options.seed ?? 1);
  const bucketFor = (service: AwsService): TokenBucket | undefined => {
    if (!options.tps || options.tps <= 0) return undefined;
    let bucket = buckets.get(service);
    if (!bucket) buckets.set(service, (bucket = new TokenBucket(options.tps)));
    return bucket;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    res.setHeader('x-amzn-RequestId', requestId);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/_emulator/calls' && req.method === 'GET') return sendJson(res, 200, sortedCounts(counts));
    if (url.pathname === '/_emulator/reset' && req.method === 'POST') {
      counts.clear();
      return sendJson(res, 200, {});
    }
    if (url.pathname === '/_emulator/caller' && req.method === 'POST' && options.setCallerAccountId) {
      const account = (JSON.parse((await readBody(req)).toString('utf8') || '{}') as { Account?: unknown }).Account;
      if (account !== null && account !== undefined && (typeof account !== 'string' || !/^\d{12}$/.test(account))) {
        return sendJson(res, 400, { __type: 'ValidationException', message: 'Account must be a 12-digit account id or null' });
      }
      options.setCallerAccountId(typeof account === 'string' ? account : undefined);
      return sendJson(res, 200, { Account: options.callerAccountId?.() });
    }
    if (req.method !== 'POST') return sendError(res, undefined, 'UnknownOperationException', `${req.method} is not supported; AWS JSON 1.1 is POST /`);

    const body = await readBody(req);
    if (isQueryRequest(req.headers['content-type']) && options.callerAccountId) {
      const action = queryAction(body.toString('utf8'));
      counts.set(`sts:${action ?? '(none)'}`, (counts.get(`sts:${action ?? '(none)'}`) ?? 0) + 1);
      if (options.latencyMs && options.latencyMs > 0) await new Promise((r) => setTimeout(r, options.latencyMs));
      if (action !== 'GetCallerIdentity') return sendQueryError(res, requestId, 400, 'InvalidAction', `Could not find operation ${action ?? '(no Action)'} for version 2011-06-15`);
      return sendCallerIdentity(res, requestId, callerIdentityIn(options.callerAccountId()));
    }
    const target = resolveTarget(models, String(req.headers['x-amz-target'] ?? ''));
    if (!target || !target.model.operations[target.operation]) {
      return sendError(res, target?.model, 'UnknownOperationException', `Unknown operation ${String(req.headers['x-amz-target'] ?? '(no X-Amz-Target)')}`);
    }
    const { model, operation } = target;
    const key = `${model.service}:${operation}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);

    if (options.latencyMs && options.latencyMs > 0) await new Promise((r) => setTimeout(r, options.latencyMs));
    if (bucketFor(model.service)?.tryTake() === false) {
      return sendError(res, model, 'ThrottlingException', 'Rate exceeded');
    }
    const fault = faults.next();
    if (fault === 'ThrottlingException') return sendError(res, model, fault, 'Rate exceeded (injected)');
    if (fault === 'InternalServerException') return sendError(res, model, fault, 'An internal error occurred (injected)');

    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return sendError(res, model, 'SerializationException', 'Request body is not valid JSON');
    }
    const opModel = model.operations[operation]!;
    const problem = validateInput(model, opModel.input?.shape, input);
    if (problem) {
      if (problem.kind === 'serialization') return sendError(res, model, 'SerializationException', problem.message);
      // Organizations has no ValidationException: its operations answer InvalidInputException
      // with a Reason (reference/organizations.service.json).
      if (model.service === 'organizations') return sendError(res, model, 'InvalidInputException', problem.message, undefined, { Reason: problem.reason });
      return sendError(res, model, 'ValidationException', problem.message);
    }
    try {
      const output = await options.backend.call(model.service, operation, (input ?? {}) as Record<string, unknown>);
      return sendJson(res, 200, output);
    } catch (err) {
      if (err instanceof AwsServiceError) {
        return sendError(res, model, err.errorName, err.message, err.httpStatus, {
          Reason: err.reason,
          ResourceType: err.resourceType,
          ResourceId: err.resourceId,
        });
      }
      process.stderr.write(`emulator: ${key} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      return sendError(res, model, 'InternalServerException', 'An internal error occurred');
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, undefined, 'InternalServerException', err instanceof Error ? err.message : String(err));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    callCounts: () => sortedCounts(counts),
    resetCounts: () => counts.clear(),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await options.onClose?.();
    },
  };
}

function sortedCounts(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Timestamps travel as epoch seconds in JSON 1.1. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(toWire(body));
  res.writeHead(status, { 'Content-Type': CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The error body: `__type`, `message`, and the structured members the model gives the error
 * shape (Identity Store's Reason, ResourceType, ResourceId and RequestId), so SDKs read them as
 * properties of the exception. A member the shape does not declare is not sent.
 */
function sendError(
  res: ServerResponse,
  model: ServiceModel | undefined,
  errorName: string,
  message: string,
  status?: number,
  fields: Readonly<Record<string, string | undefined>> = {},
): void {
  const httpStatus = status && status !== 400 ? status : errorStatus(model, errorName);
  res.setHeader('x-amzn-ErrorType', errorName);
  const members = model?.shapes[errorName]?.members ?? {};
  const structured: Record<string, string> = {};
  const requestId = res.getHeader('x-amzn-RequestId');
  for (const [name, value] of Object.entries({ ...fields, RequestId: typeof requestId === 'string' ? requestId : undefined })) {
    if (value !== undefined && name in members) structured[name] = value;
  }
  sendJson(res, httpStatus, { __type: errorName, message, ...structured });
}
