import type { IdentityCenterEngine } from '../identity-center/engine.js';
import type { IdResolver } from '../id-resolver.js';

// In process, the tables are the truth and indexed by name: resolving by query is as fast as a
// cache and never stale, even when another process changed the file since the last snapshot.

export function sqliteIdResolver(engine: IdentityCenterEngine): IdResolver {
  // Only the lower-cased name is indexed (names are unique regardless of case); the second
  // condition keeps the lookup exact, as the key in the config is.
  const userId = engine.db.prepare('SELECT id FROM ids_users WHERE user_name_lower = ? AND user_name = ?').pluck();
  const groupId = engine.db.prepare('SELECT id FROM ids_groups WHERE display_name = ?').pluck();
  const permissionSetArn = engine.db.prepare('SELECT arn FROM sso_permission_sets WHERE name = ?').pluck();
  return {
    instance: { instanceArn: engine.instance.instanceArn, identityStoreId: engine.instance.identityStoreId },
    findUserId: async (name) => userId.get(name.toLowerCase(), name) as string | undefined,
    findGroupId: async (name) => groupId.get(name) as string | undefined,
    findPermissionSetArn: async (name) => permissionSetArn.get(name) as string | undefined,
    remember: () => {},
    forget: () => {},
  };
}
