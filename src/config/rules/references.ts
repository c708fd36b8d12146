import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Organization } from '../../model/entities.js';
import type { OuTargetInput } from '../../model/generated/config.js';
import { error, warning, type ConfigRule, type Entry } from '../entries.js';
import { didYouMean } from '../text/closest.js';

/**
 * Every name resolves: members and principals to users/groups (unless they come from an external
 * identity source), permission sets to definitions, and targets to the organisation when one is
 * loaded.
 */
export const checkReferences: ConfigRule = (ctx) => {
  const out: Diagnostic[] = [];
  const external = ctx.settings.identitySource === 'external';
  const { invalidNames } = ctx.entries;
  const users = new Set([...ctx.entries.users.map((u) => u.value.userName), ...invalidNames.users]);
  const groups = new Set([...ctx.entries.groups.map((g) => g.value.name), ...invalidNames.groups]);
  const permissionSets = new Set([...ctx.entries.permissionSets.map((p) => p.value.name), ...invalidNames.permissionSets]);
  const org = ctx.organization ? indexOrganization(ctx.organization) : undefined;

  if (!external) {
    for (const group of ctx.entries.groups) {
      group.value.members?.forEach((member, i) => {
        if (!users.has(member))
          out.push(error('unknown-reference', `group \`${group.value.name}\` lists member \`${member}\`, who is not defined under users${didYouMean(member, users)}`, group.at(['members', i])));
      });
    }
  }
  for (const rule of ctx.entries.assignments) {
    const a = rule.value;
    if (!external) {
      a.users?.forEach((u, i) => {
        if (!users.has(u)) out.push(error('unknown-reference', `assignment names user \`${u}\`, who is not defined under users${didYouMean(u, users)}`, rule.at(['users', i])));
      });
      a.groups?.forEach((g, i) => {
        if (!groups.has(g)) out.push(error('unknown-reference', `assignment names group \`${g}\`, which is not defined under groups${didYouMean(g, groups)}`, rule.at(['groups', i])));
      });
    }
    a.permissionSets.forEach((p, i) => {
      if (!permissionSets.has(p))
        out.push(error('unknown-reference', `permission set \`${p}\` is not defined under permissionSets${didYouMean(p, permissionSets)}`, rule.at(['permissionSets', i])));
    });
    out.push(...checkOuPaths(rule, a.ous, ['ous'], org), ...checkOuPaths(rule, a.exclude?.ous, ['exclude', 'ous'], org));
    if (org) {
      out.push(...checkAccounts(rule, a.accounts, ['accounts'], org), ...checkAccounts(rule, a.exclude?.accounts, ['exclude', 'accounts'], org));
      if (a.accountTags && Object.keys(a.accountTags).length > 0 && !org.matchesAnyTags(a.accountTags))
        out.push(warning('unknown-reference', `accountTags ${JSON.stringify(a.accountTags)} match no account in the organisation`, rule.at(['accountTags'])));
    }
  }
  for (const guardrail of ctx.entries.guardrails) {
    guardrail.value.deny?.permissionSets?.forEach((p, i) => {
      if (!permissionSets.has(p))
        out.push(warning('unknown-reference', `guardrail \`${guardrail.value.name}\` names permission set \`${p}\`, which is not defined${didYouMean(p, permissionSets)}`, guardrail.at(['deny', 'permissionSets', i])));
    });
    if (org) out.push(...checkAccounts(guardrail, guardrail.value.deny?.accounts, ['deny', 'accounts'], org));
  }
  return out;
};

interface OrganizationIndex {
  readonly ids: ReadonlySet<string>;
  readonly names: ReadonlySet<string>;
  readonly ouPaths: ReadonlySet<string>;
  matchesAnyTags(tags: Readonly<Record<string, string>>): boolean;
}

function indexOrganization(org: Organization): OrganizationIndex {
  const tagMatches = new Map<string, boolean>();
  return {
    ids: new Set(org.accounts.map((a) => a.id)),
    names: new Set(org.accounts.map((a) => a.name)),
    ouPaths: new Set(['/Root', ...org.ous.map((o) => o.path)]),
    matchesAnyTags: (tags) => {
      // Many rules name the same tags; each answer costs a pass over every account.
      const key = JSON.stringify(tags);
      let matches = tagMatches.get(key);
      if (matches === undefined) {
        const wanted = Object.entries(tags);
        matches = org.accounts.some((a) => wanted.every(([k, v]) => a.tags[k] === v));
        tagMatches.set(key, matches);
      }
      return matches;
    },
  };
}

function checkAccounts(entry: Entry<unknown>, accounts: readonly string[] | undefined, path: readonly string[], org: OrganizationIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  accounts?.forEach((account, i) => {
    if (/^\d{12}$/.test(account)) {
      if (!org.ids.has(account)) out.push(error('unknown-reference', `account id ${account} is not in the organisation`, entry.at([...path, i])));
    } else if (!/^\d+$/.test(account) && !org.names.has(account)) {
      out.push(error('unknown-reference', `account \`${account}\` is not in the organisation${didYouMean(account, org.names)}`, entry.at([...path, i])));
    }
  });
  return out;
}

function checkOuPaths(entry: Entry<unknown>, ous: readonly OuTargetInput[] | undefined, path: readonly string[], org: OrganizationIndex | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  ous?.forEach((ou, i) => {
    const ouPath = typeof ou === 'string' ? ou : ou.path;
    const at = typeof ou === 'string' ? entry.at([...path, i]) : entry.at([...path, i, 'path']);
    if (!/^\/Root(?:\/[^/]+)*$/.test(ouPath))
      out.push(error('unknown-reference', `OU path \`${ouPath}\` must start at the root, e.g. /Root/Workloads/Prod (no trailing slash)`, at));
    else if (org && !org.ouPaths.has(ouPath))
      out.push(error('unknown-reference', `OU \`${ouPath}\` is not in the organisation${didYouMean(ouPath, org.ouPaths)}`, at));
  });
  return out;
}

