// Seeded fault injection for the crash tests (test/apply/crash-points.test.ts): with
// GATEHOUSE_FAULT=<action>:<phase>:<n>, the apply process hits <action> at the n-th time it
// passes <phase>. Phases are the windows write-ahead auditing must cover:
//   before-intent  a change is about to be recorded as intended
//   after-intent   recorded, the write not yet sent
//   after-write    the write done, its outcome not yet recorded
//   after-outcome  both recorded
//   between-requests  inside a change of several write requests (a permission set created, its
//                  policies not yet attached): one sent, the next about to be checked and sent
// Actions: kill (SIGKILL to itself), int / term (SIGINT / SIGTERM to itself), stop (SIGSTOP to
// itself: the process freezes right there, as in a stalled VM, until someone sends SIGCONT).
// Unset in normal runs, where faultPoint costs one comparison.

export type FaultPhase = 'before-intent' | 'after-intent' | 'after-write' | 'after-outcome' | 'between-requests';

interface Fault {
  readonly action: 'kill' | 'int' | 'term' | 'stop';
  readonly phase: FaultPhase;
  readonly at: number;
}

function parseFault(text: string | undefined): Fault | undefined {
  const m = /^(kill|int|term|stop):(before-intent|after-intent|after-write|after-outcome|between-requests):(\d+)$/.exec(text ?? '');
  return m ? { action: m[1] as Fault['action'], phase: m[2] as FaultPhase, at: Number(m[3]) } : undefined;
}

const fault = parseFault(process.env.GATEHOUSE_FAULT);
let passed = 0;

export function faultPoint(phase: FaultPhase): void {
  if (!fault || fault.phase !== phase) return;
  if (++passed !== fault.at) return;
  const signals = { kill: 'SIGKILL', int: 'SIGINT', term: 'SIGTERM', stop: 'SIGSTOP' } as const;
  process.kill(process.pid, signals[fault.action]);
}
