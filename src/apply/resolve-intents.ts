import type { AuditEntry, AuditRecord } from '../audit/audit-record.js';
import { canonicalJson } from '../diff/canonical-json.js';
import type { LiveState } from '../model/live.js';

// The next run after a crash closes every intent that has no definite outcome by reading the
// live object the intent named, and records what it found: `applied` when the live object is as
// the write would have left it, `not-applied` otherwise. The fresh plan then does the rest.

export interface Resolution {
  readonly outcome: 'applied' | 'not-applied';
  /** What was read: the live object, or null when absent. */
  readonly found: unknown;
}

type Fields = Record<string, unknown>;

const parse = (text: string | undefined): Fields => {
  if (text === undefined) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' ? (v as Fields) : {};
  } catch {
    return {};
  }
};

const same = (a: string | undefined, b: unknown) => typeof b === 'string' && a !== undefined && a.toLowerCase() === b.toLowerCase();

/** Does the live object carry every field the write set (the intent's `after`)? */
function matches(live: object | undefined, after: Fields, ignore: readonly string[] = []): boolean {
  if (!live) return false;
  const l = live as Fields;
  return Object.entries(after).every(([k, v]) => ignore.includes(k) || canonicalJson(l[k] ?? null) === canonicalJson(v ?? null));
}

export function resolveIntent(intent: AuditRecord, live: LiveState): Resolution {
  const before = parse(intent.before);
  const after = parse(intent.after);
  const present = (found: unknown, applied: boolean): Resolution => ({ outcome: applied ? 'applied' : 'not-applied', found: found ?? null });
  switch (intent.operation) {
    case 'user.create':
    case 'user.update': {
      const u = live.users.find((x) => same(x.userName, after.userName));
      return present(u, matches(u, after));
    }
    case 'user.delete': {
      const u = live.users.find((x) => same(x.userName, before.userName));
      return present(u, !u);
    }
    case 'group.create':
    case 'group.update': {
      const g = live.groups.find((x) => same(x.displayName, after.displayName));
      return present(g, matches(g, after));
    }
    case 'group.delete': {
      const g = live.groups.find((x) => same(x.displayName, before.displayName));
      return present(g, !g);
    }
    case 'membership.add': {
      const m = live.memberships.find((x) => same(x.groupName, after.groupName) && same(x.userName, after.userName));
      return present(m, !!m);
    }
    case 'membership.remove': {
      const m = live.memberships.find((x) =>
        before.membershipId !== undefined ? x.membershipId === before.membershipId : same(x.groupName, before.groupName) && same(x.userName, before.userName),
      );
      return present(m, !m);
    }
    case 'permissionSet.create':
    case 'permissionSet.update': {
      const p = live.permissionSets.find((x) => x.name === after.name);
      return present(p, matches(p, after, ['inlinePolicy']) && canonicalPolicyOf(p?.inlinePolicy) === canonicalPolicyOf(after.inlinePolicy));
    }
    case 'permissionSet.delete': {
      const p = live.permissionSets.find((x) => x.name === before.name);
      return present(p, !p);
    }
    case 'permissionSet.provision': {
      const p = live.provisioning.find((x) => x.permissionSetName === after.permissionSetName && x.accountId === after.accountId);
      return present(p, p?.status === 'LATEST_PERMISSION_SET_PROVISIONED');
    }
    case 'assignment.create': {
      const a = live.assignments.find(
        (x) =>
          x.principalType === after.principalType &&
          same(x.principalName, after.principalName) &&
          x.permissionSetName === after.permissionSetName &&
          x.accountId === after.accountId,
      );
      return present(a, !!a);
    }
    case 'assignment.delete': {
      const a = live.assignments.find(
        (x) =>
          x.principalType === before.principalType &&
          (before.principalId !== undefined && before.principalId !== null ? x.principalId === before.principalId : same(x.principalName, before.principalName)) &&
          x.permissionSetName === before.permissionSetName &&
          x.accountId === before.accountId,
      );
      return present(a, !a);
    }
    default:
      // An operation this version does not know: say so rather than guess.
      return { outcome: 'not-applied', found: { unknownOperation: intent.operation } };
  }
}

function canonicalPolicyOf(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return text;
  }
}

/** The resolution records for these intents, read against one fresh snapshot. */
export function resolutionEntries(intents: readonly AuditRecord[], live: LiveState, meta: { time: Date; actor: string; planId: string; gitCommit?: string }): AuditEntry[] {
  return intents.map((intent) => {
    const r = resolveIntent(intent, live);
    return {
      kind: 'resolution',
      intentSeq: intent.seq,
      time: meta.time,
      actor: meta.actor,
      ...(meta.gitCommit ? { gitCommit: meta.gitCommit } : {}),
      planId: intent.planId,
      operation: intent.operation,
      target: intent.target,
      after: { found: r.found, resolvedBy: meta.planId },
      requestIds: [],
      outcome: r.outcome,
    };
  });
}
