import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, type ConfigRule } from '../entries.js';

/**
 * With an external identity source (SCIM from an IdP), users and groups belong to the IdP:
 * defining them here would fight the sync, so the config only names them in assignments.
 */
export const checkIdentitySource: ConfigRule = (ctx) => {
  if (ctx.settings.identitySource !== 'external') return [];
  const out: Diagnostic[] = [];
  for (const user of ctx.entries.users)
    out.push(error('identity-source', `user \`${user.value.userName}\` is defined, but identitySource is external: users come from the identity provider; remove the definition and name the user in assignments only`, user.at()));
  for (const group of ctx.entries.groups)
    out.push(error('identity-source', `group \`${group.value.name}\` is defined, but identitySource is external: groups and their members come from the identity provider; remove the definition`, group.at()));
  return out;
};
