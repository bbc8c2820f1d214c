import { parseCpuList } from './pin-postgres';

describe('parseCpuList (BENCH_PG_CPUS)', () => {
  it('reads single CPUs and ranges, sorted and without repeats', () => {
    expect(parseCpuList('1')).toEqual([1]);
    expect(parseCpuList('3,0-2')).toEqual([0, 1, 2, 3]);
    expect(parseCpuList('1, 1-2')).toEqual([1, 2]);
  });

  it.each(['', 'x', '1,', '-1', '2-1', '1-2-3', '1.5'])('refuses %j, naming it', (list) => {
    expect(() => parseCpuList(list)).toThrow(`not a CPU list: "${list}"`);
  });
});
