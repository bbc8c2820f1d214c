import { sseComment, sseFrame } from './sse-frame';

describe('SSE framing', () => {
  it('writes event, id and one data line of JSON, then a blank line', () => {
    expect(sseFrame('alert', 'b.7', { a: 1, s: 'x' })).toBe('event: alert\nid: b.7\ndata: {"a":1,"s":"x"}\n\n');
  });

  it('keeps data on one line whatever the strings hold', () => {
    const frame = sseFrame('alias', 'b.1', { reason: 'line one\nline two\r\n\ndata: forged' });
    const lines = frame.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.filter((l) => l.startsWith('data: '))).toHaveLength(1);
    expect(JSON.parse(lines[2].slice('data: '.length))).toEqual({ reason: 'line one\nline two\r\n\ndata: forged' });
  });

  it('refuses an event name or id with a line break', () => {
    expect(() => sseFrame('a\nb', '1', {})).toThrow(/line break/);
    expect(() => sseFrame('a', '1\r', {})).toThrow(/line break/);
  });

  it('writes a comment on one line', () => {
    expect(sseComment('heartbeat')).toBe(': heartbeat\n\n');
    expect(sseComment('a\nb')).toBe(': a b\n\n');
  });
});
