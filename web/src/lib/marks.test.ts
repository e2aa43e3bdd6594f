import { describe, expect, it } from 'vitest';
import { markRange, toggleMark } from './marks';

describe('marks', () => {
  it('toggles one id without touching the others', () => {
    const a = toggleMark(new Set([1, 2]), 3);
    expect([...a].sort()).toEqual([1, 2, 3]);
    expect([...toggleMark(a, 2)].sort()).toEqual([1, 3]);
  });

  it('marks a range in either direction and skips rows not loaded', () => {
    const ids = [10, 11, undefined, 13, 14];
    const { marks, clipped } = markRange(new Set([99]), 4, 1, (i) => ids[i], 1000);
    expect([...marks].sort((x, y) => x - y)).toEqual([11, 13, 14, 99]);
    expect(clipped).toBe(false);
  });

  it('stops at the limit and says so', () => {
    const { marks, clipped } = markRange(new Set([1]), 0, 9, (i) => 100 + i, 4);
    expect(marks.size).toBe(4);
    expect(clipped).toBe(true);
  });
});
