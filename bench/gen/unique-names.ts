// The validator rejects names that differ only by confusable characters (0/O, 1/l/I, rn/m...),
// as a reviewer would misread them. The generator claims every name through a registry that
// folds such characters the same way, so it never produces a pair the validator would flag.

const FOLDS: readonly (readonly [RegExp, string])[] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
  [/0/g, 'o'],
  [/[1il|!]/g, 'l'],
  [/5/g, 's'],
  [/8/g, 'b'],
  [/[_.\s-]+/g, '-'],
];

/** A deliberately aggressive fold: two names with the same skeleton count as confusable. */
export function confusableSkeleton(name: string): string {
  let s = name.toLowerCase();
  for (const [pattern, replacement] of FOLDS) s = s.replace(pattern, replacement);
  return s;
}

export class NameRegistry {
  private readonly skeletons = new Set<string>();

  /** True (and reserved) when no claimed name is confusable with `name`. */
  claim(name: string): boolean {
    const skeleton = confusableSkeleton(name);
    if (this.skeletons.has(skeleton)) return false;
    this.skeletons.add(skeleton);
    return true;
  }

  /** Claims `name`, or throws: for fixed names that must not collide. */
  require(name: string): string {
    if (!this.claim(name)) throw new Error(`generated name "${name}" is confusable with an earlier one`);
    return name;
  }
}
