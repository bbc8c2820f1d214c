import { dayOfPartition, partitionName, utcDay } from './log-partitions';

describe('log partitions', () => {
  it('names a partition after its UTC day and reads the day back', () => {
    const t = new Date('2026-11-26T23:59:59.999Z');
    expect(partitionName(utcDay(t))).toBe('predictions_p20261126');
    expect(dayOfPartition('predictions_p20261126')?.toISOString()).toBe('2026-11-26T00:00:00.000Z');
  });

  it('ignores tables it did not name', () => {
    expect(dayOfPartition('predictions_default')).toBeNull();
    expect(dayOfPartition('predictions_p2026112')).toBeNull();
  });
});
