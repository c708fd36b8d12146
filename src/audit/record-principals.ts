import type { AuditRecord } from './audit-record.js';

/**
 * The user and group names a record is about, so `audit log --principal alice` finds her user,
 * her memberships and her assignments. Read from the target key's entity prefix and the stored
 * before/after objects (which carry names), not by splitting the key: names may contain `|`.
 */
export function principalsOfRecord(record: AuditRecord): string[] {
  const names = new Set<string>();
  const [prefix] = record.target.split(':', 1);
  if (prefix === 'user' || prefix === 'group') names.add(record.target.slice(prefix.length + 1));
  for (const text of [record.before, record.after]) {
    if (text === undefined) continue;
    const value = parseObject(text);
    for (const field of ['userName', 'groupName', 'principalName'] as const) {
      const name = value?.[field];
      if (typeof name === 'string') names.add(name);
    }
    if (prefix === 'group' && typeof value?.displayName === 'string') names.add(value.displayName);
  }
  return [...names];
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
