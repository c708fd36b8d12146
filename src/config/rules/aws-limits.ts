import { isoDurationSeconds } from '../../model/iso-duration.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, type ConfigRule, type Entry, type RuleContext } from '../entries.js';
import type { Tags } from '../../model/generated/config.js';
import { nameProblem, textProblem } from '../text/unsafe-text.js';
import { visible } from './principal-names.js';

// Limits and patterns from reference/sso-admin.service.json and identitystore.service.json
// (PermissionSetName, PermissionSetDescription, RelayState, Duration, TagKey/TagValue,
// ManagedPolicyName/Path/Arn, UserName, GroupDisplayName) and the IAM Identity Center quotas.
const PERMISSION_SET_NAME = /^[\w+=,.@-]+$/;
const DESCRIPTION = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
const RELAY_STATE = /^[a-zA-Z0-9&$@#\\/%?=~\-_'"|!:,.;*+[\] (){}]+$/;
const TAG = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const POLICY_NAME = /^[\w+=,.@-]+$/;
const POLICY_PATH = /^(?:\/[A-Za-z0-9.,+@=_-]+)*\/$/;
const MANAGED_POLICY_ARN = /^arn:aws(?:-[a-z]{1,5}){0,3}:iam::aws:policy(?:\/[A-Za-z0-9.,+@=_-]+)*\/[A-Za-z0-9.,+=@_-]+$/;
const MANAGED_POLICY_SHORT = /^(?:[A-Za-z0-9.,+@=_-]+\/)*[A-Za-z0-9.,+=@_-]+$/;
const USER_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
// identitystore GroupDisplayName and SensitiveStringType (display name, given/family name,
// email, title, group description): length 1-1024.
const GROUP_DISPLAY_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r  ]+$/u;
const SENSITIVE_STRING = /^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r  \u3000]+$/u;
const MAX_SENSITIVE_STRING = 1024;
const RESERVED_PRINCIPALS = new Set(['administrator', 'awsadministrators']);

export const MAX_TAGS = 50;
export const MAX_INLINE_POLICY_CHARS = 10_240;
const MIN_SESSION_SECONDS = 3600;
const MAX_SESSION_SECONDS = 12 * 3600;

/** AWS's length, pattern and count limits, checked before any API call could reject them. */
export const checkAwsLimits: ConfigRule = (ctx) => [
  ...ctx.entries.users.flatMap(checkUser),
  ...ctx.entries.groups.flatMap(checkGroup),
  ...ctx.entries.permissionSets.flatMap((entry) => checkPermissionSet(entry, ctx)),
];

function checkUser(entry: Entry<{ userName: string; displayName?: string }>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { userName, displayName } = entry.value;
  if (userName.length > 128) out.push(error('aws-limit', `userName is ${userName.length} characters; the maximum is 128`, entry.at(['userName'])));
  // Control, invisible and bidi characters are reported, more precisely, by the principal-name rule.
  else if (!USER_NAME.test(userName) && nameProblem(userName) === undefined)
    out.push(error('aws-limit', `userName \`${visible(userName)}\` contains spaces or control characters, which AWS does not allow in user names`, entry.at(['userName'])));
  if (RESERVED_PRINCIPALS.has(userName.toLowerCase()))
    out.push(error('reserved-name', `\`${userName}\` is reserved by IAM Identity Center; choose another userName`, entry.at(['userName'])));
  const u = entry.value as { displayName?: string; name?: { given?: string; family?: string }; email?: string; title?: string };
  out.push(...sensitiveString(entry, ['displayName'], displayName));
  out.push(...sensitiveString(entry, ['name', 'given'], u.name?.given));
  out.push(...sensitiveString(entry, ['name', 'family'], u.name?.family));
  out.push(...sensitiveString(entry, ['email'], u.email));
  out.push(...sensitiveString(entry, ['title'], u.title));
  return out;
}

/** An Identity Store SensitiveStringType attribute; characters the display-text rule reports are left to it. */
function sensitiveString(entry: Entry<unknown>, path: readonly string[], value: string | undefined): Diagnostic[] {
  if (value === undefined) return [];
  const field = path.join('.');
  if (value.length > MAX_SENSITIVE_STRING) return [error('aws-limit', `${field} is ${value.length} characters; the maximum is ${MAX_SENSITIVE_STRING}`, entry.at(path))];
  if (!SENSITIVE_STRING.test(value) && textProblem(value) === undefined)
    return [error('aws-limit', `${field} contains characters the Identity Store rejects (${firstBad(value, SENSITIVE_STRING)}); use letters, digits, punctuation, symbols and spaces`, entry.at(path))];
  return [];
}

function checkGroup(entry: Entry<{ name: string; description?: string }>): Diagnostic[] {
  const { name } = entry.value;
  const out: Diagnostic[] = [];
  if (name.length > 1024) out.push(error('aws-limit', `group name is ${name.length} characters; the maximum is 1024`, entry.at(['name'])));
  else if (!GROUP_DISPLAY_NAME.test(name) && nameProblem(name) === undefined)
    out.push(error('aws-limit', `group name \`${visible(name)}\` contains characters the Identity Store rejects (${firstBad(name, GROUP_DISPLAY_NAME)})`, entry.at(['name'])));
  out.push(...sensitiveString(entry, ['description'], entry.value.description));
  if (RESERVED_PRINCIPALS.has(name.toLowerCase()))
    out.push(error('reserved-name', `\`${name}\` is reserved by IAM Identity Center; choose another group name`, entry.at(['name'])));
  return out;
}

function checkPermissionSet(entry: RuleContext['entries']['permissionSets'][number], ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ps = entry.value;
  for (const field of ['name', 'renamedFrom'] as const) {
    const value = ps[field];
    if (value === undefined) continue;
    if (value.length > 32)
      out.push(error('aws-limit', `permission set ${field} \`${value}\` is ${value.length} characters; the maximum is 32`, entry.at([field])));
    else if (!PERMISSION_SET_NAME.test(value))
      out.push(
        error('aws-limit', `permission set ${field} \`${value}\` may contain only letters, digits and + = , . @ _ -`, entry.at([field])),
      );
  }
  if (ps.description !== undefined) {
    if (ps.description.length > 700)
      out.push(error('aws-limit', `description is ${ps.description.length} characters; the maximum is 700`, entry.at(['description'])));
    if (!DESCRIPTION.test(ps.description) && textProblem(ps.description) === undefined)
      out.push(
        error('aws-limit', `description contains characters AWS rejects (${firstBad(ps.description, DESCRIPTION)}); use Latin-1 text only`, entry.at(['description'])),
      );
  }
  if (ps.relayState !== undefined) {
    if (ps.relayState.length > 240)
      out.push(error('aws-limit', `relayState is ${ps.relayState.length} characters; the maximum is 240`, entry.at(['relayState'])));
    else if (!RELAY_STATE.test(ps.relayState))
      out.push(error('aws-limit', `relayState contains characters AWS rejects (${firstBad(ps.relayState, RELAY_STATE)}); URL-encode them`, entry.at(['relayState'])));
  }
  if (ps.sessionDuration !== undefined) {
    const seconds = durationSeconds(ps.sessionDuration);
    if (seconds === undefined)
      out.push(error('aws-limit', `sessionDuration \`${ps.sessionDuration}\` is not an ISO 8601 duration; write e.g. PT1H, PT4H or PT8H30M`, entry.at(['sessionDuration'])));
    else if (seconds < MIN_SESSION_SECONDS || seconds > MAX_SESSION_SECONDS)
      out.push(error('aws-limit', `sessionDuration \`${ps.sessionDuration}\` is outside the allowed range PT1H to PT12H`, entry.at(['sessionDuration'])));
  }
  const policyCount = (ps.managedPolicies?.length ?? 0) + (ps.customerManagedPolicies?.length ?? 0);
  // AWS's default quota is 10 (adjustable to 20): the setting says what this account's is (issue 9).
  const maxPolicies = ctx.settings.limits.maxPoliciesPerPermissionSet;
  if (policyCount > maxPolicies)
    out.push(
      error(
        'aws-limit',
        `permission set \`${ps.name}\` attaches ${policyCount} managed and customer managed policies; the limit (settings limits.maxPoliciesPerPermissionSet) is ${maxPolicies}${maxPolicies === 10 ? ", AWS's default quota; if your quota was raised, raise the setting to match" : ''}`,
        entry.at(),
      ),
    );
  ps.managedPolicies?.forEach((policy, i) => {
    if (policy.startsWith('arn:') ? !MANAGED_POLICY_ARN.test(policy) : !MANAGED_POLICY_SHORT.test(policy))
      out.push(error('aws-limit', `\`${policy}\` is not an AWS managed policy name or ARN (arn:aws:iam::aws:policy/NAME)`, entry.at(['managedPolicies', i])));
  });
  const refs = [
    ...(ps.customerManagedPolicies ?? []).map((ref, i) => ({ ref, path: ['customerManagedPolicies', i] })),
    ...(ps.permissionsBoundary?.customerManagedPolicy ? [{ ref: ps.permissionsBoundary.customerManagedPolicy, path: ['permissionsBoundary', 'customerManagedPolicy'] }] : []),
  ];
  for (const { ref, path } of refs) {
    if (ref.name.length > 128 || !POLICY_NAME.test(ref.name))
      out.push(error('aws-limit', `customer managed policy name \`${ref.name}\` must be 1-128 characters of letters, digits and + = , . @ _ -`, entry.at([...path, 'name'])));
    if (ref.path !== undefined && (ref.path.length > 512 || !POLICY_PATH.test(ref.path)))
      out.push(error('aws-limit', `policy path \`${ref.path}\` must start and end with / (e.g. / or /acme/teams/)`, entry.at([...path, 'path'])));
  }
  const boundary = ps.permissionsBoundary?.managedPolicy;
  if (boundary !== undefined && (boundary.startsWith('arn:') ? !MANAGED_POLICY_ARN.test(boundary) : !MANAGED_POLICY_SHORT.test(boundary)))
    out.push(error('aws-limit', `\`${boundary}\` is not an AWS managed policy name or ARN`, entry.at(['permissionsBoundary', 'managedPolicy'])));
  if (entry.inlinePolicy !== undefined) {
    const chars = JSON.stringify(entry.inlinePolicy.document)?.replace(/\s/g, '').length ?? 0;
    if (chars > MAX_INLINE_POLICY_CHARS)
      out.push(error('aws-limit', `inline policy is ${chars} characters without whitespace; the maximum is ${MAX_INLINE_POLICY_CHARS}. Move statements to a customer managed policy`, entry.at(['inlinePolicy'])));
  }
  if (ps.tags) out.push(...checkTags(ps.tags, entry, ['tags']));
  return out;
}

function checkTags(tags: Tags, entry: Entry<unknown>, path: readonly string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const keys = Object.keys(tags);
  if (keys.length > MAX_TAGS) out.push(error('aws-limit', `${keys.length} tags; a permission set can have at most ${MAX_TAGS}`, entry.at(path)));
  for (const key of keys) {
    const value = tags[key]!;
    if (key.length < 1 || key.length > 128 || !TAG.test(key))
      out.push(error('aws-limit', `tag key \`${key}\` must be 1-128 letters, digits, spaces and _ . : / = + - @`, entry.at([...path, key], true)));
    else if (key.toLowerCase().startsWith('aws:'))
      out.push(error('aws-limit', `tag key \`${key}\` uses the reserved prefix aws:`, entry.at([...path, key], true)));
    if (value.length > 256 || !TAG.test(value))
      out.push(error('aws-limit', `tag value of \`${key}\` must be at most 256 letters, digits, spaces and _ . : / = + - @`, entry.at([...path, key])));
  }
  return out;
}

/** Seconds of an ISO 8601 duration, or undefined if malformed: the project's one parser. */
export const durationSeconds = isoDurationSeconds;

function firstBad(text: string, pattern: RegExp): string {
  for (const ch of text) {
    if (!pattern.test(ch)) return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return 'unknown';
}
