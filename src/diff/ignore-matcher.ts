// Ignore rules are globs on natural keys where `*` matches any run of characters (including
// none) and everything else is literal, e.g. `AWSReserved*` or `*@contractor.example`.

export type NameMatcher = (name: string) => boolean;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 's');
}

export function nameMatcher(patterns: readonly string[]): NameMatcher {
  if (patterns.length === 0) return () => false;
  const exact = new Set(patterns.filter((p) => !p.includes('*')));
  const globs = patterns.filter((p) => p.includes('*')).map(globToRegExp);
  return (name) => exact.has(name) || globs.some((re) => re.test(name));
}
