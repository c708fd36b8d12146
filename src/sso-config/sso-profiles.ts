import type { AccessGrant } from '../access/effective-access.js';
import type { Account } from '../model/entities.js';
import { compareStrings } from '../model/keys.js';

// AWS CLI SSO profiles for one user: an `[sso-session]` section and one `[profile]` per account
// and permission set the user can use. Names follow aws-sso-util's `configure populate`
// default (account name, then role name, joined by "."), since that is what teams already have
// in their ~/.aws/config; a template overrides it.

export const DEFAULT_PROFILE_TEMPLATE = '{account_name}.{permission_set}';
const TEMPLATE_FIELDS = ['account_name', 'account_id', 'permission_set', 'region', 'user'] as const;

export interface SsoProfile {
  readonly name: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly permissionSetName: string;
  readonly region: string;
}

export interface SsoConfig {
  readonly sessionName: string;
  readonly startUrl: string;
  readonly ssoRegion: string;
  readonly profiles: readonly SsoProfile[];
}

export interface SsoProfilesInput {
  readonly userName: string;
  readonly grants: readonly AccessGrant[];
  readonly accounts: ReadonlyMap<string, Account>;
  /** The region written into each profile for API calls. */
  readonly region: string;
  readonly template?: string;
}

/** Why a template cannot be used, or undefined: unknown `{fields}` would end up in profile names. */
export function checkProfileTemplate(template: string): string | undefined {
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)]
    .map((m) => m[1]!)
    .filter((f) => !(TEMPLATE_FIELDS as readonly string[]).includes(f));
  if (unknown.length > 0) return `unknown field {${unknown[0]}} in the profile template; use ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}`;
  if (!/\{[a-z_]+\}/.test(template)) return 'the profile template names no field, so every profile would get the same name';
  return undefined;
}

export function ssoProfilesFor(input: SsoProfilesInput): SsoProfile[] {
  const template = input.template ?? DEFAULT_PROFILE_TEMPLATE;
  const profiles = input.grants
    .filter((g) => g.userName === input.userName)
    .map((g) => {
      const accountName = input.accounts.get(g.accountId)?.name ?? g.accountId;
      const fields: Record<(typeof TEMPLATE_FIELDS)[number], string> = {
        account_name: accountName,
        account_id: g.accountId,
        permission_set: g.permissionSetName,
        region: input.region,
        user: input.userName,
      };
      const name = safeProfileName(template.replace(/\{([a-z_]+)\}/g, (_, f: keyof typeof fields) => fields[f]));
      return { name, accountId: g.accountId, accountName, permissionSetName: g.permissionSetName, region: input.region };
    })
    .sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.accountId, b.accountId));
  // Account names are not unique in an organisation: two accounts named alike must not share
  // a profile (the second would silently win in the AWS CLI), so both get their id.
  const count = new Map<string, number>();
  for (const p of profiles) count.set(p.name, (count.get(p.name) ?? 0) + 1);
  return profiles.map((p) => ((count.get(p.name) ?? 0) > 1 ? { ...p, name: `${p.name}.${p.accountId}` } : p));
}

/**
 * Profile names end up inside `[profile NAME]` headers and on command lines: whitespace
 * becomes "-", and anything but letters, digits and `_ . - + = @ ,` is dropped, so a name from
 * an account or permission set cannot break the section header or the file.
 */
function safeProfileName(name: string): string {
  return name
    .normalize('NFC')
    .replace(/\s+/g, '-')
    .replace(/[^\p{L}\p{N}_.\-+=@,]/gu, '');
}

/** The session name: the start URL's first host label (`acme` for https://acme.awsapps.com/start). */
export function defaultSessionName(startUrl: string): string {
  let host = '';
  try {
    host = new URL(startUrl).hostname;
  } catch {
    // An unparsable start URL is reported where it is checked; the name is only a default.
  }
  const label = safeProfileName(host.split('.')[0] ?? '');
  return label === '' ? 'gatehouse' : label;
}

/** The sections in the AWS CLI's config file syntax, in a stable order. */
export function renderSsoConfig(config: SsoConfig): string {
  return sectionsOf(config)
    .map((s) => `${s.header}\n${s.lines.join('\n')}\n`)
    .join('\n');
}

export interface ConfigSection {
  /** e.g. `[profile prod.Admin]`. */
  readonly header: string;
  readonly lines: readonly string[];
}

export function sectionsOf(config: SsoConfig): ConfigSection[] {
  return [
    {
      header: `[sso-session ${config.sessionName}]`,
      lines: [`sso_start_url = ${config.startUrl}`, `sso_region = ${config.ssoRegion}`, 'sso_registration_scopes = sso:account:access'],
    },
    ...config.profiles.map((p) => ({
      header: `[profile ${p.name}]`,
      lines: [
        `sso_session = ${config.sessionName}`,
        `sso_account_id = ${p.accountId}`,
        `sso_role_name = ${p.permissionSetName}`,
        `region = ${p.region}`,
      ],
    })),
  ];
}
