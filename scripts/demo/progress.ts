export interface EpochProgress {
  epoch: number;
  maxEpochs: number;
  loss: number;
  valLoss: number;
}

interface Out {
  isTTY?: boolean;
  write(text: string): unknown;
}

const describe = (p: EpochProgress) =>
  `epoch ${p.epoch}/${p.maxEpochs} loss ${p.loss.toFixed(4)} val_loss ${p.valLoss.toFixed(4)}`;

/**
 * Training progress as the demo polls it: rewritten in place on a terminal; otherwise (logs, CI,
 * a pipe) plain lines, one every 2 s and at each tenth of the epochs, and the last one at the end,
 * as the import CLI reports its progress.
 */
export function trainingProgress(out: Out, now: () => number = Date.now) {
  let last: EpochProgress | null = null;
  let written: EpochProgress | null = null;
  let writtenAt = 0;
  const line = (p: EpochProgress) => {
    out.write(`${describe(p)}\n`);
    written = p;
    writtenAt = now();
  };
  return {
    queued(jobId: string) {
      out.write(`training job ${jobId} queued\n`);
    },
    update(p: EpochProgress) {
      if (last && last.epoch === p.epoch) return;
      last = p;
      if (out.isTTY) return void out.write(`\r${describe(p)}   `);
      const tenth = (e: number) => Math.floor((10 * e) / Math.max(p.maxEpochs, 1));
      if (!written || now() - writtenAt >= 2000 || tenth(p.epoch) > tenth(written.epoch)) line(p);
    },
    end() {
      if (out.isTTY) return void (last && out.write('\n'));
      if (last && last !== written) line(last);
    },
  };
}
