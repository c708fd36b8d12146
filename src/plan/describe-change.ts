import { structuredPatch } from 'diff';
import { prettyPolicy } from '../diff/canonical-json.js';
import { type Action, actionOf, type Change } from '../diff/change.js';
import type { CustomerManagedPolicyRef, PermissionSetSpec, PermissionsBoundary, UserSpec } from '../model/entities.js';
import { compareStrings, customerPolicyKey } from '../model/keys.js';

// A change described for people: a title line and indented detail lines, each with an
// optional +/-/~ sign. Text and Markdown renderers share it and differ only in decoration.

export type Sign = '+' | '-' | '~';

export interface DetailLine {
  readonly sign?: Sign;
  readonly text: string;
  /** Nesting below the title, 0-based. */
  readonly depth: number;
}

export interface ChangeDescription {
  readonly action: Action;
  readonly title: string;
  readonly details: readonly DetailLine[];
}

export type AccountNames = Readonly<Record<string, string>>;

const show = (value: string | undefined): string => (value === undefined || value === '' ? '(none)' : JSON.stringify(value));

/** A rename is one `~` line, changed in place (UpdateUser / UpdateGroup keep the id). */
const renamedFrom = (before: string, after: string): string => (before === after ? '' : ` (renamed from ${before})`);

const accountLabel = (id: string, names: AccountNames): string => {
  const name = names[id];
  return name === undefined ? id : `${name} (${id})`;
};

const USER_LABELS: Readonly<Record<string, (u: UserSpec) => string | undefined>> = {
  displayName: (u) => u.displayName,
  givenName: (u) => u.givenName,
  familyName: (u) => u.familyName,
  email: (u) => u.email,
  title: (u) => u.title,
};

export function describeChange(change: Change, names: AccountNames = {}): ChangeDescription {
  const action = actionOf(change);
  switch (change.kind) {
    case 'user.create':
      return {
        action,
        title: `user ${change.after.userName}`,
        details: Object.entries(USER_LABELS)
          .filter(([, get]) => get(change.after) !== undefined)
          .map(([field, get]) => ({ text: `${field}: ${show(get(change.after))}`, depth: 0 })),
      };
    case 'user.update':
      return {
        action,
        title: `user ${change.after.userName}${renamedFrom(change.before.userName, change.after.userName)}`,
        details: change.fields.map((field) => {
          const get = field === 'userName' ? (u: UserSpec) => u.userName : USER_LABELS[field];
          return { text: `${field}: ${show(get?.(change.before))} → ${show(get?.(change.after))}`, depth: 0 };
        }),
      };
    case 'user.delete':
      return { action, title: `user ${change.before.userName}`, details: [] };
    case 'group.create':
      return {
        action,
        title: `group ${change.after.displayName}`,
        details: change.after.description === undefined ? [] : [{ text: `description: ${show(change.after.description)}`, depth: 0 }],
      };
    case 'group.update':
      return {
        action,
        title: `group ${change.after.displayName}${renamedFrom(change.before.displayName, change.after.displayName)}`,
        details: change.fields.map((field) =>
          field === 'displayName'
            ? { text: `displayName: ${show(change.before.displayName)} → ${show(change.after.displayName)}`, depth: 0 }
            : { text: `description: ${show(change.before.description)} → ${show(change.after.description)}`, depth: 0 },
        ),
      };
    case 'group.delete':
      return { action, title: `group ${change.before.displayName}`, details: [] };
    case 'membership.add':
      return { action, title: `membership ${change.userName} in group ${change.groupName}`, details: [] };
    case 'membership.remove':
      return {
        action,
        title: `membership ${change.userName} in group ${change.groupName}`,
        details: change.membershipId === undefined ? [] : [{ text: `orphaned membership ${change.membershipId}`, depth: 0 }],
      };
    case 'permissionSet.create':
      return {
        action,
        title: `permission set ${change.after.name}${change.renamedFrom === undefined ? '' : ` (renamed from ${change.renamedFrom})`}`,
        details: permissionSetDetails(undefined, change.after),
      };
    case 'permissionSet.update':
      return {
        action,
        title: `permission set ${change.after.name}`,
        details: permissionSetDetails(change.before, change.after, change.fields),
      };
    case 'permissionSet.delete':
      return {
        action,
        title: `permission set ${change.before.name}${change.renamedTo === undefined ? '' : ` (renamed to ${change.renamedTo})`}`,
        details: [],
      };
    case 'permissionSet.provision':
      return {
        action,
        title: `provision ${change.permissionSetName} to ${accountLabel(change.accountId, names)}`,
        details: [
          {
            text:
              change.reason === 'content-changed'
                ? 'the permission set changed; the account gets the new version'
                : 'the account does not have the latest version (LATEST_PERMISSION_SET_NOT_PROVISIONED)',
            depth: 0,
          },
        ],
      };
    case 'assignment.create': {
      const a = change.assignment;
      const details: DetailLine[] = [];
      if (change.reason !== undefined) details.push({ text: `reason: ${change.reason}`, depth: 0 });
      if (change.expires !== undefined) details.push({ text: `expires: ${change.expires}`, depth: 0 });
      return {
        action,
        title: `assignment ${a.principalType} ${a.principalName} → ${a.permissionSetName} in ${accountLabel(a.accountId, names)}`,
        details,
      };
    }
    case 'assignment.delete': {
      const a = change.assignment;
      const principal =
        change.principalId === undefined ? a.principalName : `${change.principalId} (principal no longer exists)`;
      return {
        action,
        title: `assignment ${a.principalType} ${principal} → ${a.permissionSetName} in ${accountLabel(a.accountId, names)}`,
        details: change.cause === undefined ? [] : [{ text: `cause: ${CAUSES[change.cause]}`, depth: 0 }],
      };
    }
    default: {
      const never: never = change;
      throw new Error(`unknown change ${JSON.stringify(never)}`);
    }
  }
}

const CAUSES = {
  undeclared: 'not in the configuration',
  expired: 'expired',
  orphaned: 'principal no longer exists',
  renamed: 'permission set renamed',
} as const;

const PS_SCALARS = ['description', 'sessionDuration', 'relayState'] as const;

function permissionSetDetails(
  before: PermissionSetSpec | undefined,
  after: PermissionSetSpec,
  fields?: readonly string[],
): DetailLine[] {
  const changed = (field: string): boolean => (fields ? fields.includes(field) : true);
  const out: DetailLine[] = [];
  for (const field of PS_SCALARS) {
    if (!changed(field)) continue;
    if (before === undefined) {
      if (after[field] !== undefined) out.push({ text: `${field}: ${show(after[field])}`, depth: 0 });
    } else {
      out.push({ text: `${field}: ${show(before[field])} → ${show(after[field])}`, depth: 0 });
    }
  }
  if (changed('managedPolicies')) {
    out.push(...setDiff('managedPolicies', before?.managedPolicies ?? [], after.managedPolicies));
  }
  if (changed('customerManagedPolicies')) {
    const keys = (refs: readonly CustomerManagedPolicyRef[]) => refs.map(customerPolicyKey);
    out.push(...setDiff('customerManagedPolicies', keys(before?.customerManagedPolicies ?? []), keys(after.customerManagedPolicies)));
  }
  if (changed('inlinePolicy')) out.push(...policyDiff(before?.inlinePolicy, after.inlinePolicy, after.name));
  if (changed('permissionsBoundary')) {
    const b = boundaryLabel(before?.permissionsBoundary);
    const a = boundaryLabel(after.permissionsBoundary);
    if (before !== undefined || a !== undefined) {
      out.push({ text: before === undefined ? `permissionsBoundary: ${a}` : `permissionsBoundary: ${b ?? '(none)'} → ${a ?? '(none)'}`, depth: 0 });
    }
  }
  if (changed('tags')) out.push(...tagDiff(before?.tags ?? {}, after.tags));
  return out;
}

function setDiff(label: string, before: readonly string[], after: readonly string[]): DetailLine[] {
  const b = new Set(before);
  const a = new Set(after);
  const lines: DetailLine[] = [];
  for (const x of [...a].sort(compareStrings)) if (!b.has(x)) lines.push({ sign: '+', text: x, depth: 1 });
  for (const x of [...b].sort(compareStrings)) if (!a.has(x)) lines.push({ sign: '-', text: x, depth: 1 });
  return lines.length === 0 ? [] : [{ text: `${label}:`, depth: 0 }, ...lines];
}

function tagDiff(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): DetailLine[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareStrings);
  const lines: DetailLine[] = [];
  for (const k of keys) {
    const b = before[k];
    const a = after[k];
    if (b === a) continue;
    if (b === undefined) lines.push({ sign: '+', text: `${k} = ${JSON.stringify(a)}`, depth: 1 });
    else if (a === undefined) lines.push({ sign: '-', text: `${k} = ${JSON.stringify(b)}`, depth: 1 });
    else lines.push({ sign: '~', text: `${k} = ${JSON.stringify(b)} → ${JSON.stringify(a)}`, depth: 1 });
  }
  return lines.length === 0 ? [] : [{ text: 'tags:', depth: 0 }, ...lines];
}

function boundaryLabel(b: PermissionsBoundary | undefined): string | undefined {
  if (b?.managedPolicyArn !== undefined) return b.managedPolicyArn;
  if (b?.customerManagedPolicy !== undefined) return `customer managed ${customerPolicyKey(b.customerManagedPolicy)}`;
  return undefined;
}

/** A unified diff of the pretty-printed (sorted-key) policies, so only real edits show. */
function policyDiff(before: string | undefined, after: string | undefined, name: string): DetailLine[] {
  const patch = structuredPatch(`${name} (live)`, `${name} (config)`, prettyPolicy(before), prettyPolicy(after), '', '', {
    context: 3,
  });
  if (patch.hunks.length === 0) return [];
  const lines: DetailLine[] = [{ text: 'inlinePolicy:', depth: 0 }];
  if (before !== undefined) {
    lines.push({ text: `--- ${name} (live)`, depth: 1 }, { text: `+++ ${name} (config)`, depth: 1 });
  }
  for (const hunk of patch.hunks) {
    if (before !== undefined) {
      lines.push({ text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, depth: 1 });
    }
    for (const line of hunk.lines) {
      if (line.startsWith('\\')) continue; // "\ No newline at end of file"
      const sign = line[0] === '+' ? '+' : line[0] === '-' ? '-' : undefined;
      lines.push({ ...(sign ? { sign } : {}), text: line.slice(1), depth: 1 });
    }
  }
  return lines;
}
