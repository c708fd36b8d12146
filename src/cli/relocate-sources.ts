import path from 'node:path';
import type { AccessGrant } from '../access/effective-access.js';

/**
 * Grants loaded from a temporary checkout (the config at a git ref) cite files in that temp dir;
 * a reviewer needs the path in the repository. `from/x.yaml` becomes `to/x.yaml`, with `to` the
 * config directory as the user gave it, so both sides of an access diff read alike.
 */
export function relocateSources(grants: readonly AccessGrant[], from: string, to: string): AccessGrant[] {
  const prefix = path.resolve(from) + path.sep;
  // A million grants cite a few hundred files: each file is resolved once.
  const moved = new Map<string, string>();
  const move = (file: string): string => {
    let target = moved.get(file);
    if (target === undefined) {
      const absolute = path.resolve(file);
      target = absolute.startsWith(prefix) ? path.join(to, absolute.slice(prefix.length)) : file;
      moved.set(file, target);
    }
    return target;
  };
  return grants.map((g) => ({
    ...g,
    paths: g.paths.map((p) => (p.source ? { ...p, source: { ...p.source, file: move(p.source.file) } } : p)),
  }));
}
