import { describe, expect, it } from 'vitest';
import { batchSocketUrl, formatEta, initialLive, parseTags, reduceBatchMessage } from './batchSocket';

describe('batchSocketUrl', () => {
  it('uses ws on http and wss on https, on the page’s own host', () => {
    expect(batchSocketUrl({ protocol: 'http:', host: '127.0.0.1:8100' }, 3)).toBe('ws://127.0.0.1:8100/ws/batches/3');
    expect(batchSocketUrl({ protocol: 'https:', host: 'sp.example' }, 12)).toBe('wss://sp.example/ws/batches/12');
  });
});

describe('reduceBatchMessage', () => {
  const progress = (data: object) => JSON.stringify({ type: 'progress', data });

  it('takes the numbers of each progress message', () => {
    const s = reduceBatchMessage(initialLive, progress({ total: 10, done: 4, failed: 1, current: 'a/kick.wav', eta_seconds: 6.5, rate: 0.9, state: 'running' }));
    expect(s).toEqual({
      complete: false,
      progress: { total: 10, done: 4, failed: 1, current: 'a/kick.wav', eta_seconds: 6.5, rate: 0.9, state: 'running' },
    });
  });

  it('keeps the last file while running when a message names none, and clears it once finished', () => {
    let s = reduceBatchMessage(initialLive, progress({ total: 2, done: 1, current: 'x.wav', state: 'running' }));
    s = reduceBatchMessage(s, progress({ total: 2, done: 1, current: '', state: 'running' }));
    expect(s.progress?.current).toBe('x.wav');
    s = reduceBatchMessage(s, progress({ total: 2, done: 2, current: '', state: 'done' }));
    expect(s.progress?.current).toBe('');
  });

  it('reads a null ETA as unknown', () => {
    const s = reduceBatchMessage(initialLive, progress({ total: 0, done: 0, eta_seconds: null, state: 'scanning' }));
    expect(s.progress?.eta_seconds).toBeNull();
    expect(s.progress?.state).toBe('scanning');
  });

  it('marks the end on complete and ignores what it cannot read', () => {
    const s = reduceBatchMessage(initialLive, progress({ total: 1, done: 1, state: 'done' }));
    expect(reduceBatchMessage(s, '{"type":"complete"}')).toEqual({ ...s, complete: true });
    expect(reduceBatchMessage(s, 'not json')).toBe(s);
    expect(reduceBatchMessage(s, '{"type":"hello"}')).toBe(s);
    expect(reduceBatchMessage(s, '{"type":"progress"}')).toBe(s);
  });
});

describe('formatEta and parseTags', () => {
  it('formats seconds left', () => {
    expect(formatEta(null)).toBe('–');
    expect(formatEta(42.4)).toBe('42 s');
    expect(formatEta(185)).toBe('3 min 5 s');
    expect(formatEta(3720)).toBe('1 h 2 min');
  });

  it('splits tags on commas', () => {
    expect(parseTags(' dusty, vinyl,,dusty ,')).toEqual(['dusty', 'vinyl']);
    expect(parseTags('')).toEqual([]);
  });
});
