// SIGINT (Ctrl-C, GitHub's "Cancel workflow") and SIGTERM during an apply: the first stops
// new changes from starting and lets those in flight finish, within a bound, so their outcomes
// are recorded and the lock released; a second signal, or the bound passing, forces an exit.
// Exit codes follow the shell convention: 128 + signal number.

export interface Interrupts {
  /** Set once a signal arrived, e.g. "interrupted by SIGINT". */
  reason(): string | undefined;
  exitCode(): number | undefined;
  dispose(): void;
}

const CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

export function watchInterrupts(options: { graceMs: number; onForce: (signal: string) => void }): Interrupts {
  let signal: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const force = (s: string) => {
    options.onForce(s);
    process.exit(CODES[s] ?? 1);
  };
  const handler = (s: NodeJS.Signals) => {
    if (signal !== undefined) return force(s);
    signal = s;
    process.stderr.write(`\nReceived ${s}: starting no new changes; waiting for those in flight (a second ${s} forces exit).\n`);
    timer = setTimeout(() => force(s), options.graceMs);
    timer.unref();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    reason: () => (signal === undefined ? undefined : `interrupted by ${signal}`),
    exitCode: () => (signal === undefined ? undefined : CODES[signal]),
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      if (timer) clearTimeout(timer);
    },
  };
}
