import { trainingProgress, type EpochProgress } from './progress';

function capture(isTTY: boolean) {
  let text = '';
  return { isTTY, write: (t: string) => (text += t), text: () => text };
}

const epoch = (n: number, max = 60): EpochProgress => ({ epoch: n, maxEpochs: max, loss: 0.5, valLoss: 0.25 });

/** Polls every 500 ms, one new epoch a poll (as the demo sees a fast training). */
function train(out: ReturnType<typeof capture>, epochs: number) {
  let clock = 0;
  const progress = trainingProgress(out, () => clock);
  progress.queued('job-1');
  for (let e = 1; e <= epochs; e++) {
    clock += 500;
    progress.update(epoch(e, 60));
    progress.update(epoch(e, 60)); // the same epoch polled again
  }
  progress.end();
}

describe('trainingProgress', () => {
  it('off a terminal writes whole lines: 2 s after the last one, at each tenth (6, 12, …) and the last epoch', () => {
    const out = capture(false);
    train(out, 37);
    expect(out.text()).not.toContain('\r');
    const lines = out.text().trimEnd().split('\n');
    expect(lines[0]).toBe('training job job-1 queued');
    expect(lines[1]).toBe('epoch 1/60 loss 0.5000 val_loss 0.2500');
    const epochs = lines.slice(1).map((l) => Number(/^epoch (\d+)\/60 /.exec(l)![1]));
    expect(epochs).toEqual([1, 5, 6, 10, 12, 16, 18, 22, 24, 28, 30, 34, 36, 37]);
  });

  it('on a terminal rewrites one line in place and ends it', () => {
    const out = capture(true);
    train(out, 3);
    expect(out.text()).toBe(
      'training job job-1 queued\n' +
        [1, 2, 3].map((e) => `\repoch ${e}/60 loss 0.5000 val_loss 0.2500   `).join('') +
        '\n',
    );
  });
});
