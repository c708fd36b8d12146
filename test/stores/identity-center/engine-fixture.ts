import { AwsServiceError, type AwsInput, type AwsOutput, type AwsService } from '../../../src/stores/aws-caller.js';
import { IdentityCenterEngine, type EngineOptions } from '../../../src/stores/identity-center/engine.js';
import { CONTRACT_ORGANIZATION } from '../store-contract.js';

// An engine over :memory: with a clock the test moves, and shorthands for calls.

export interface EngineFixture {
  readonly engine: IdentityCenterEngine;
  readonly instanceArn: string;
  readonly identityStoreId: string;
  advance(ms: number): void;
  sso(operation: string, input?: AwsInput): AwsOutput;
  ids(operation: string, input?: AwsInput): AwsOutput;
  org(operation: string, input?: AwsInput): AwsOutput;
  /** The AWS error name a call fails with, or undefined if it succeeds. */
  errorOf(service: AwsService, operation: string, input: AwsInput): string | undefined;
  createUser(userName: string): string;
  createGroup(displayName: string): string;
  createPermissionSet(name: string): string;
}

export function engineFixture(options: EngineOptions = {}, dbPath = ':memory:'): EngineFixture {
  let now = Date.parse('2026-11-29T12:00:00Z');
  const engine = IdentityCenterEngine.open(dbPath, { clock: () => new Date(now), ...options });
  engine.loadOrganization(CONTRACT_ORGANIZATION);
  const { instanceArn, identityStoreId } = engine.instance;
  const sso = (operation: string, input: AwsInput = {}) => engine.call('sso-admin', operation, { InstanceArn: instanceArn, ...input });
  const ids = (operation: string, input: AwsInput = {}) => engine.call('identitystore', operation, { IdentityStoreId: identityStoreId, ...input });
  return {
    engine,
    instanceArn,
    identityStoreId,
    advance: (ms) => void (now += ms),
    sso,
    ids,
    org: (operation, input = {}) => engine.call('organizations', operation, input),
    errorOf: (service, operation, input) => {
      try {
        engine.call(service, operation, input);
        return undefined;
      } catch (e) {
        if (e instanceof AwsServiceError) return e.errorName;
        throw e;
      }
    },
    createUser: (userName) =>
      String(ids('CreateUser', { UserName: userName, DisplayName: userName, Name: { GivenName: userName, FamilyName: 'Test' } }).UserId),
    createGroup: (displayName) => String(ids('CreateGroup', { DisplayName: displayName }).GroupId),
    createPermissionSet: (name) => String((sso('CreatePermissionSet', { Name: name }).PermissionSet as { PermissionSetArn: string }).PermissionSetArn),
  };
}
