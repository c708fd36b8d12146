// `--debug`: more detail on stderr for whoever is debugging a run (timings, the stack of an
// internal error), and never a secret: no environment dump, no tokens, no credentials. Messages
// pass through redactSecrets, which removes the values of the variables that hold secrets and
// the user:password part of URLs, in case an error message quoted one.

let enabled = false;
const started = Date.now();

export const setDebug = (on: boolean): void => {
  enabled = on;
};
export const isDebug = (): boolean => enabled;

/** Variables whose values are secrets; their values never reach the output. */
const SECRET_VARIABLES = ['GITHUB_TOKEN', 'GH_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'];

export function redactSecrets(text: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1***@');
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    if (value && value.length >= 4) out = out.split(value).join('***');
  }
  return out;
}

/** `debug +123ms message` on stderr, only with --debug. */
export function debug(message: string): void {
  if (!enabled) return;
  process.stderr.write(`debug +${Date.now() - started}ms ${redactSecrets(message)}\n`);
}

/** Runs `fn` and, with --debug, says how long it took. */
export async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  if (!enabled) return fn();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    debug(`${label}: ${Math.round(performance.now() - t0)} ms`);
  }
}
