import { AwsServiceError, type AwsOutput, type AwsService } from '../../src/stores/aws-caller.js';
import { serveAwsJson, type AwsJsonServer } from '../../src/stores/emulator/aws-json-server.js';
import { IdentityCenterEngine } from '../../src/stores/identity-center/engine.js';
import type { Organization } from '../../src/model/entities.js';

// The emulator (the embedded Identity Center over the AWS wire protocol, on 127.0.0.1) with a
// log of every write it carried out: the operation and the entity it changed, named as the
// audit trail names targets (src/model/keys.ts). Crash tests compare it with the audit trail:
// every write the store saw must have an audit record.

export interface StoreWrite {
  readonly operation: string;
  /** The audit target it belongs to, e.g. `user:alice@example.com`, `permissionSet:Admin`. */
  readonly target: string;
}

export interface WriteLogEmulator extends AwsJsonServer {
  readonly instanceArn: string;
  /** Successful writes since start (or the last `clearWrites`), in order. */
  writes(): readonly StoreWrite[];
  /** Write requests received, successful or not, since start (or the last `clearWrites`). */
  writeAttempts(): readonly StoreWrite[];
  clearWrites(): void;
}

type Input = Record<string, unknown>;

export async function startWriteLogEmulator(options: { dbPath: string; organization?: Organization; latencyMs?: number }): Promise<WriteLogEmulator> {
  const engine = IdentityCenterEngine.open(options.dbPath);
  if (options.organization) engine.loadOrganization(options.organization);
  const instance = (engine.call('sso-admin', 'ListInstances', {}).Instances as { InstanceArn: string; IdentityStoreId: string }[])[0]!;
  const log: StoreWrite[] = [];
  const attempts: StoreWrite[] = [];
  const read = (service: AwsService, op: string, input: Input): AwsOutput | undefined => {
    try {
      return engine.call(service, op, input);
    } catch (err) {
      if (err instanceof AwsServiceError) return undefined;
      throw err;
    }
  };
  const userName = (id: unknown) => (read('identitystore', 'DescribeUser', { IdentityStoreId: instance.IdentityStoreId, UserId: id })?.UserName as string) ?? `id:${String(id)}`;
  const groupName = (id: unknown) =>
    (read('identitystore', 'DescribeGroup', { IdentityStoreId: instance.IdentityStoreId, GroupId: id })?.DisplayName as string) ?? `id:${String(id)}`;
  const psName = (arn: unknown) =>
    ((read('sso-admin', 'DescribePermissionSet', { InstanceArn: instance.InstanceArn, PermissionSetArn: arn })?.PermissionSet as { Name?: string } | undefined)?.Name) ?? `arn:${String(arn)}`;
  const principal = (type: unknown, id: unknown) => `${String(type)}:${type === 'USER' ? userName(id) : groupName(id)}`;

  /** The target, read before the write (a delete leaves nothing to read afterwards). */
  const targetBefore = (op: string, input: Input): string | undefined => {
    switch (op) {
      case 'UpdateUser':
      case 'DeleteUser':
        return `user:${userName(input.UserId)}`;
      case 'UpdateGroup':
      case 'DeleteGroup':
        return `group:${groupName(input.GroupId)}`;
      case 'CreateGroupMembership':
        return `membership:${groupName(input.GroupId)}|${userName((input.MemberId as Input).UserId)}`;
      case 'DeleteGroupMembership': {
        const m = read('identitystore', 'DescribeGroupMembership', { IdentityStoreId: instance.IdentityStoreId, MembershipId: input.MembershipId });
        return m ? `membership:${groupName(m.GroupId)}|${userName((m.MemberId as Input).UserId)}` : `membership:id:${String(input.MembershipId)}`;
      }
      case 'CreateUser':
        return `user:${String(input.UserName)}`;
      case 'CreateGroup':
        return `group:${String(input.DisplayName)}`;
      case 'CreatePermissionSet':
        return `permissionSet:${String(input.Name)}`;
      case 'ProvisionPermissionSet':
        return `permissionSet:${psName(input.PermissionSetArn)}@${String(input.TargetId)}`;
      case 'CreateAccountAssignment':
      case 'DeleteAccountAssignment':
        return `assignment:${principal(input.PrincipalType, input.PrincipalId)}|${psName(input.PermissionSetArn)}|${String(input.TargetId)}`;
      case 'TagResource':
      case 'UntagResource':
        return `permissionSet:${psName(input.ResourceArn)}`;
      default:
        // Every other write names a permission set: attach/detach/put/delete policy, update, delete.
        return input.PermissionSetArn !== undefined ? `permissionSet:${psName(input.PermissionSetArn)}` : undefined;
    }
  };

  const isWrite = (op: string) => /^(Create|Delete|Update|Put|Attach|Detach|Provision|Tag|Untag)/.test(op);
  const server = await serveAwsJson({
    backend: {
      call(service, op, input) {
        if (!isWrite(op)) return engine.call(service, op, input);
        const target = targetBefore(op, input) ?? `${service}:${op}`;
        attempts.push({ operation: `${service}:${op}`, target });
        const out = engine.call(service, op, input);
        log.push({ operation: `${service}:${op}`, target });
        return out;
      },
    },
    ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
    callerAccountId: () => engine.callerAccountId(),
    onClose: () => engine.close(),
  });
  return {
    ...server,
    instanceArn: instance.InstanceArn,
    writes: () => [...log],
    writeAttempts: () => [...attempts],
    clearWrites: () => {
      log.length = 0;
      attempts.length = 0;
    },
  };
}
