import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, type ConfigRule, type Entry } from '../entries.js';
import type { ValuePath } from '../yaml/locator.js';
import { nameProblem, textProblem } from '../text/unsafe-text.js';
import { visible } from './principal-names.js';

type Check = (text: string) => string | undefined;

/**
 * Every name, description, reason and tag that reaches a plan, a diagnostic or a PR comment is
 * free of control and format characters (issue 13): `ESC[8m` in a description would conceal the
 * rest of a plan line in a terminal. Names are held to more (see nameProblem). User and group
 * names are checked by the principal-names rule, which also compares them.
 */
export const checkDisplayText: ConfigRule = (ctx) => {
  const out: Diagnostic[] = [];
  const field = (entry: Entry<unknown>, path: ValuePath, value: unknown, what: string, check: Check = textProblem): void => {
    if (typeof value !== 'string') return;
    const problem = check(value);
    if (problem) out.push(error('unsafe-text', `${what} \`${visible(value)}\` ${problem}`, entry.at(path)));
  };
  const tags = (entry: Entry<unknown>, path: ValuePath, value: Readonly<Record<string, string>> | undefined): void => {
    for (const [key, tagValue] of Object.entries(value ?? {})) {
      const keyProblem = nameProblem(key);
      if (keyProblem) out.push(error('unsafe-text', `tag key \`${visible(key)}\` ${keyProblem}`, entry.at([...path, key], true)));
      field(entry, [...path, key], tagValue, `tag value of \`${visible(key)}\``);
    }
  };
  for (const user of ctx.entries.users) {
    const u = user.value;
    field(user, ['displayName'], u.displayName, 'displayName', nameProblem);
    field(user, ['name', 'given'], u.name?.given, 'given name', nameProblem);
    field(user, ['name', 'family'], u.name?.family, 'family name', nameProblem);
    field(user, ['email'], u.email, 'email', nameProblem);
    field(user, ['title'], u.title, 'title');
  }
  for (const group of ctx.entries.groups) field(group, ['description'], group.value.description, 'description');
  for (const ps of ctx.entries.permissionSets) {
    field(ps, ['name'], ps.value.name, 'permission set name', nameProblem);
    field(ps, ['description'], ps.value.description, 'description');
    tags(ps, ['tags'], ps.value.tags);
  }
  for (const rule of ctx.entries.assignments) {
    field(rule, ['reason'], rule.value.reason, 'reason');
    tags(rule, ['accountTags'], rule.value.accountTags);
    tags(rule, ['exclude', 'accountTags'], (rule.value.exclude as { accountTags?: Record<string, string> } | undefined)?.accountTags);
  }
  for (const guardrail of ctx.entries.guardrails) {
    field(guardrail, ['name'], guardrail.value.name, 'guardrail name', nameProblem);
    field(guardrail, ['description'], guardrail.value.description, 'description');
    tags(guardrail, ['deny', 'accountTags'], guardrail.value.deny?.accountTags);
  }
  return out;
};
