import type { Change } from '../../src/diff/change.js';
import { isContentField, permissionSetFieldChanges } from '../../src/diff/compare-fields.js';
import type {
  LiveAssignment,
  LiveMembership,
  LiveProvisioning,
  LiveState,
} from '../../src/model/live.js';
import type { Plan } from '../../src/plan/plan.js';
import { groupId, permissionSetArn, userId } from './builders.js';

// A pure, in-memory Identity Center good enough to check plans: it applies changes to a
// LiveState the way AWS would (deleting a principal orphans its assignments and drops its
// memberships; a content update leaves accounts NOT_PROVISIONED; an assignment provisions its
// account) and throws where AWS would refuse, so a wrongly ordered plan fails loudly.

export class RefusedChange extends Error {}

type MutableLive = {
  -readonly [K in keyof LiveState]: LiveState[K] extends readonly (infer T)[] ? T[] : LiveState[K];
};

export function applyPlanInMemory(live: LiveState, plan: Plan): LiveState {
  let state = live;
  for (const wave of plan.waves) for (const change of wave.changes) state = applyChangeInMemory(state, change);
  return state;
}

export function applyChangeInMemory(live: LiveState, change: Change): LiveState {
  const s: MutableLive = {
    ...live,
    users: [...live.users],
    groups: [...live.groups],
    memberships: [...live.memberships],
    permissionSets: [...live.permissionSets],
    assignments: [...live.assignments],
    provisioning: [...live.provisioning],
  };
  const refuse = (why: string): never => {
    throw new RefusedChange(`${change.kind}: ${why}`);
  };
  switch (change.kind) {
    case 'user.create':
      if (s.users.some((u) => u.userName === change.after.userName)) refuse('user exists');
      s.users.push({ ...change.after, id: userId(change.after.userName) });
      break;
    case 'user.update': {
      // UpdateUser renames in place (userName among the fields): the id, and so the user's
      // memberships and assignments, stay; they are listed under the new name.
      const i = s.users.findIndex((u) => u.userName === change.before.userName);
      if (i < 0) refuse('no such user');
      const id = s.users[i]!.id;
      s.users[i] = { ...change.after, id };
      s.memberships = s.memberships.map((m) => (m.userId === id ? { ...m, userName: change.after.userName } : m));
      s.assignments = s.assignments.map((a) => (a.principalType === 'USER' && a.principalId === id ? { ...a, principalName: change.after.userName } : a));
      break;
    }
    case 'user.delete': {
      const u = s.users.find((x) => x.userName === change.before.userName) ?? refuse('no such user');
      s.users = s.users.filter((x) => x !== u);
      s.memberships = s.memberships.filter((m) => m.userId !== u.id);
      s.assignments = s.assignments.map((a) => (a.principalId === u.id ? orphan(a) : a));
      break;
    }
    case 'group.create':
      if (s.groups.some((g) => g.displayName === change.after.displayName)) refuse('group exists');
      s.groups.push({ ...change.after, id: groupId(change.after.displayName) });
      break;
    case 'group.update': {
      const i = s.groups.findIndex((g) => g.displayName === change.before.displayName);
      if (i < 0) refuse('no such group');
      const id = s.groups[i]!.id;
      s.groups[i] = { ...change.after, id };
      s.memberships = s.memberships.map((m) => (m.groupId === id ? { ...m, groupName: change.after.displayName } : m));
      s.assignments = s.assignments.map((a) => (a.principalType === 'GROUP' && a.principalId === id ? { ...a, principalName: change.after.displayName } : a));
      break;
    }
    case 'group.delete': {
      const g = s.groups.find((x) => x.displayName === change.before.displayName) ?? refuse('no such group');
      s.groups = s.groups.filter((x) => x !== g);
      s.memberships = s.memberships.filter((m) => m.groupId !== g.id);
      s.assignments = s.assignments.map((a) => (a.principalId === g.id ? orphan(a) : a));
      break;
    }
    case 'membership.add': {
      const g = s.groups.find((x) => x.displayName === change.groupName) ?? refuse('no such group');
      const u = s.users.find((x) => x.userName === change.userName) ?? refuse('no such user');
      if (s.memberships.some((m) => m.groupId === g.id && m.userId === u.id)) refuse('membership exists');
      const m: LiveMembership = { membershipId: `m-${g.id}-${u.id}`, groupId: g.id, userId: u.id, groupName: g.displayName, userName: u.userName };
      s.memberships.push(m);
      break;
    }
    case 'membership.remove': {
      const before = s.memberships.length;
      s.memberships = s.memberships.filter((m) =>
        change.membershipId !== undefined
          ? m.membershipId !== change.membershipId
          : !(m.groupName === change.groupName && m.userName === change.userName),
      );
      if (s.memberships.length === before) refuse('no such membership');
      break;
    }
    case 'permissionSet.create':
      if (s.permissionSets.some((p) => p.name === change.after.name)) refuse('permission set exists');
      s.permissionSets.push({ ...change.after, arn: permissionSetArn(change.after.name) });
      break;
    case 'permissionSet.update': {
      const i = s.permissionSets.findIndex((p) => p.name === change.after.name);
      if (i < 0) refuse('no such permission set');
      const current = s.permissionSets[i]!;
      if (permissionSetFieldChanges(current, change.after).some(isContentField)) {
        s.provisioning = s.provisioning.map((p) =>
          p.permissionSetName === change.after.name ? { ...p, status: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' } : p,
        );
      }
      s.permissionSets[i] = { ...change.after, arn: current.arn };
      break;
    }
    case 'permissionSet.provision': {
      if (!s.permissionSets.some((p) => p.name === change.permissionSetName)) refuse('no such permission set');
      s.provisioning = upsertProvisioning(s.provisioning, change.permissionSetName, change.accountId);
      break;
    }
    case 'permissionSet.delete': {
      const name = change.before.name;
      if (s.assignments.some((a) => a.permissionSetName === name)) refuse('ConflictException: permission set still has assignments');
      s.permissionSets = s.permissionSets.filter((p) => p.name !== name);
      s.provisioning = s.provisioning.filter((p) => p.permissionSetName !== name);
      break;
    }
    case 'assignment.create': {
      const a = change.assignment;
      const ps = s.permissionSets.find((p) => p.name === a.permissionSetName) ?? refuse('no such permission set');
      const principalId =
        a.principalType === 'USER'
          ? (s.users.find((u) => u.userName === a.principalName) ?? refuse('no such user')).id
          : (s.groups.find((g) => g.displayName === a.principalName) ?? refuse('no such group')).id;
      if (s.assignments.some((x) => x.principalId === principalId && x.permissionSetName === ps.name && x.accountId === a.accountId)) {
        refuse('assignment exists');
      }
      s.assignments.push({ ...a, principalId, permissionSetArn: ps.arn });
      s.provisioning = upsertProvisioning(s.provisioning, ps.name, a.accountId);
      break;
    }
    case 'assignment.delete': {
      const a = change.assignment;
      const matches = (x: LiveAssignment): boolean =>
        x.principalType === a.principalType &&
        x.permissionSetName === a.permissionSetName &&
        x.accountId === a.accountId &&
        (change.principalId !== undefined ? x.principalId === change.principalId : x.principalName === a.principalName);
      const before = s.assignments.length;
      s.assignments = s.assignments.filter((x) => !matches(x));
      if (s.assignments.length === before) refuse('no such assignment');
      // The last assignment going de-provisions the permission set from the account.
      if (!s.assignments.some((x) => x.permissionSetName === a.permissionSetName && x.accountId === a.accountId)) {
        s.provisioning = s.provisioning.filter((p) => !(p.permissionSetName === a.permissionSetName && p.accountId === a.accountId));
      }
      break;
    }
    default: {
      const never: never = change;
      throw new Error(`unknown change ${JSON.stringify(never)}`);
    }
  }
  return s;
}

function orphan(a: LiveAssignment): LiveAssignment {
  const { principalName: _gone, ...rest } = a;
  return rest;
}

function upsertProvisioning(rows: readonly LiveProvisioning[], permissionSetName: string, accountId: string): LiveProvisioning[] {
  const latest: LiveProvisioning = { permissionSetName, accountId, status: 'LATEST_PERMISSION_SET_PROVISIONED' };
  const out = rows.filter((p) => !(p.permissionSetName === permissionSetName && p.accountId === accountId));
  out.push(latest);
  return out;
}
