// AWS cannot remove a permission set's description or relay state once set: Gatehouse clears
// one by writing a single space, and AWS (and our engine) returns that space as written. So on
// read, and wherever two values are compared, a blank (empty or whitespace-only) string is the
// same as no value at all; otherwise a cleared field would show as a change in every plan.

/** The value, or undefined when it is absent, empty or whitespace only. */
export const presentText = (s: string | undefined | null): string | undefined =>
  s === undefined || s === null || s.trim() === '' ? undefined : s;
