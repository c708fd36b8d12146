import type { ApplyEvent } from '../apply/apply-plan.js';
import { actionOf, ACTION_SYMBOL } from '../diff/change.js';
import { describeChange, type AccountNames } from '../plan/describe-change.js';
import { escapeTerminal } from '../output/escape-terminal.js';
import { plural } from '../output/plural.js';

// Progress of an apply on stderr. On a terminal, one line rewritten in place; in CI logs, plain
// lines: one per wave, one per tenth of a big wave, and one per change that did not apply, in
// the plan's words. The plan printed before lists every change once; this does not repeat it.

export function progressReporter(
  stream: NodeJS.WriteStream,
  totalChanges: number,
  names: AccountNames = {},
): { onEvent: (e: ApplyEvent) => void; finish: () => void } {
  // A line rewritten in place needs a terminal that understands ESC[2K; TERM=dumb does not.
  const tty = stream.isTTY === true && process.env.TERM !== 'dumb';
  let waveNumber = 0;
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
          // Numbered as the plan text shows them (1, 2, 3…), not by slot in WAVES.
          waveNumber++;
          waveLabel = `Wave ${waveNumber} (${e.wave.name})`;
          if (tty) status();
          else line(`${waveLabel}: ${plural(waveSize, 'change')}`);
          break;
        case 'change-done': {
          done++;
          waveDone++;
          const o = e.outcome;
          const title = () => `${ACTION_SYMBOL[actionOf(o.change)]} ${describeChange(o.change, names).title}`;
          if (o.status === 'failed' || o.status === 'unknown') line(`  ${o.status}  ${escapeTerminal(`${title()}: ${o.error}`)}`);
          else if (o.status === 'skipped' && o.reason?.startsWith('waits for')) line(`  skipped  ${escapeTerminal(`${title()}: ${o.reason}`)}`);
          else if (!tty && waveSize >= 100 && waveDone >= nextMark) {
            line(`  ${waveDone}/${waveSize}`);
            nextMark += Math.ceil(waveSize / 10);
          }
          status();
          break;
        }
        case 'retry':
          if (!tty) line(`  retry ${e.attempt} ${ACTION_SYMBOL[actionOf(e.change)]} ${escapeTerminal(`${describeChange(e.change, names).title}: ${e.error}`)} (waiting ${e.delayMs} ms)`);
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
