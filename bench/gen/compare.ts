/** Byte-wise order, independent of locale: generated files must be identical on every machine. */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
