/** `1 change`, `2 changes`: counts in output agree with their noun. */
export const plural = (n: number, singular: string, pluralForm = `${singular}s`): string =>
  `${n} ${n === 1 ? singular : pluralForm}`;

/**
 * `1,234,567`: an integer with its thousands grouped as en-US writes them. Not toLocaleString:
 * its first call loads ICU's locale data, 13 ms of every run that prints one number.
 */
export const groupThousands = (n: number): string => {
  const digits = String(Math.abs(Math.trunc(n)));
  let out = '';
  for (let i = digits.length; i > 0; i -= 3) out = i > 3 ? `,${digits.slice(i - 3, i)}${out}` : `${digits.slice(0, i)}${out}`;
  return n < 0 ? `-${out}` : out;
};
