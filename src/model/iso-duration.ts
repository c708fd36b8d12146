// ISO 8601 durations as AWS writes them for a permission set's SessionDuration. The grammar is
// the `Duration` shape's pattern in reference/sso-admin.service.json:
//   (-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?
// One parser for the whole project: validation checks the range with it and the diff compares
// values with it, so PT60M and PT1H are the same session duration everywhere.
// Years and months have no fixed length; they count as 365 and 30 days, only so that an
// absurd value is still comparable (and out of the PT1H-PT12H range).

const DURATION = /^(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** The duration in seconds, or undefined when `text` is not an ISO 8601 duration AWS accepts. */
export function isoDurationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const [, sign, years, months, days, dayUnit, hours, minutes, seconds] = m;
  const total =
    Number(years ?? 0) * 365 * 86400 +
    Number(months ?? 0) * 30 * 86400 +
    Number(days ?? 0) * (dayUnit === 'W' ? 7 : 1) * 86400 +
    Number(hours ?? 0) * 3600 +
    Number(minutes ?? 0) * 60 +
    Number(seconds ?? 0);
  return sign === '-' ? -total : total;
}

/** Same length of time; malformed values compare as text (so a typo still shows as a change). */
export function sameDuration(a: string, b: string): boolean {
  if (a === b) return true;
  const x = isoDurationSeconds(a);
  const y = isoDurationSeconds(b);
  return x !== undefined && y !== undefined && x === y;
}

/** The shortest whole-unit form, e.g. 5400 → PT1H30M; for messages and tests. */
export function formatIsoDuration(totalSeconds: number): string {
  const s = Math.abs(totalSeconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const body = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${sec || s === 0 ? `${sec}S` : ''}`;
  return `${totalSeconds < 0 ? '-' : ''}PT${body}`;
}
