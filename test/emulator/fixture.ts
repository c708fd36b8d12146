import { rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Organization } from '../../src/model/entities.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/stores/emulator/start-emulator.js';

// A small organisation and helpers to speak raw AWS JSON 1.1 to an emulator on 127.0.0.1.

export const ORG: Organization = {
  managementAccountId: '111111111111',
  ous: [
    { id: 'ou-ab12-prod0001', path: '/Root/Prod', name: 'Prod' },
    { id: 'ou-ab12-sand0001', path: '/Root/Sandbox', name: 'Sandbox' },
  ],
  accounts: [
    { id: '111111111111', name: 'management', ouPath: '/Root', email: 'root@example.com', tags: {} },
    { id: '222222222222', name: 'prod', ouPath: '/Root/Prod', email: 'prod@example.com', tags: { env: 'prod' } },
    { id: '333333333333', name: 'sandbox', ouPath: '/Root/Sandbox', email: 'sandbox@example.com', tags: { env: 'dev' } },
  ],
};

export const TARGET_PREFIX = {
  'sso-admin': 'SWBExternalService',
  identitystore: 'AWSIdentityStore',
  organizations: 'AWSOrganizationsV20161128',
} as const;

export interface WireResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

export async function awsJson(url: string, service: keyof typeof TARGET_PREFIX, operation: string, input: unknown = {}): Promise<WireResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `${TARGET_PREFIX[service]}.${operation}`,
      // Any signature is accepted: clients sign with fake credentials.
      Authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sso/aws4_request, SignedHeaders=host, Signature=00',
    },
    body: typeof input === 'string' ? input : JSON.stringify(input),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

export async function withTempEmulator(options: Partial<EmulatorOptions> = {}): Promise<{ emulator: Emulator; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-emulator-'));
  const emulator = await startEmulator({ dbPath: path.join(dir, 'live.db'), organization: ORG, ...options });
  return {
    emulator,
    cleanup: async () => {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
