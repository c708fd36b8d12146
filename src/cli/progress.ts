import type { ApplyEvent } from '../apply/apply-plan.js';
import { actionOf, ACTION_SYMBOL } from '../diff/change.js';

// Progress of an apply on stderr. On a terminal, one line rewritten in place; in CI logs, plain
// lines: one per change for small plans, one per tenth of a wave for big ones, so a 250k-change
// apply doesn't drown the log.

const PER_CHANGE_LINES_UP_TO = 500;

export function progressReporter(
  stream: NodeJS.WriteStream,
  totalChanges: number,
): { onEvent: (e: ApplyEvent) => void; finish: () => void } {
  const tty = stream.isTTY === true;
  let done = 0;
  let waveDone = 0;
  let waveSize = 0;
  let waveLabel = '';
  let nextMark = 0;
  const clear = () => tty && stream.write('\x1b[2K\r');
  const line = (text: string) => {
    clear();
    stream.write(`${text}\n`);
  };
  const status = () => {
    if (!tty) return;
    clear();
    stream.write(`${waveLabel}: ${waveDone}/${waveSize}  (total ${done}/${totalChanges})`);
  };
  return {
    onEvent(e) {
      switch (e.type) {
        case 'wave-start':
          waveDone = 0;
          waveSize = e.wave.changes.length;
          nextMark = Math.ceil(waveSize / 10);
          waveLabel = `Wave ${e.wave.index} (${e.wave.name})`;
          if (tty) status();
          else line(`${waveLabel}: ${waveSize} changes`);
          break;
        case 'change-done': {
          done++;
          waveDone++;
          const o = e.outcome;
          if (o.status === 'failed') line(`  failed  ${o.target}: ${o.error}`);
          else if (!tty && totalChanges <= PER_CHANGE_LINES_UP_TO) line(`  ${ACTION_SYMBOL[actionOf(o.change)]} ${o.change.kind} ${o.target}`);
          else if (!tty && waveDone >= nextMark) {
            line(`  ${waveDone}/${waveSize}`);
            nextMark += Math.ceil(waveSize / 10);
          }
          status();
          break;
        }
        case 'retry':
          if (!tty) line(`  retry ${e.attempt} ${e.change.kind}: ${e.error} (waiting ${e.delayMs} ms)`);
          break;
        case 'wave-end':
          if (tty) line(`${waveLabel}: ${waveDone}/${waveSize}${e.failed ? `, ${e.failed} failed` : ''}`);
          break;
        default: {
          const never: never = e;
          throw new Error(`unknown event ${JSON.stringify(never)}`);
        }
      }
    },
    finish: () => clear(),
  };
}
