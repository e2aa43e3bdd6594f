// @vitest-environment node
import { drawPeakRange, peakColumnsIn } from './peakRange';
import { peakColumns } from './peaks';

describe('peakColumnsIn', () => {
  // Eight buckets: silence with one full-scale bucket at index 5.
  const peaks = new Array(16).fill(0);
  peaks[10] = -128;
  peaks[11] = 127;

  it('matches peakColumns over the whole sample', () => {
    const a = peakColumnsIn(peaks, 4, 0, 1);
    const b = peakColumns(peaks, 4);
    expect(Array.from(a.max)).toEqual(Array.from(b.max));
    expect(Array.from(a.min)).toEqual(Array.from(b.min));
  });

  it('keeps the extremes of the buckets in a zoomed range', () => {
    // The second half (buckets 4–7) into two columns: the loud bucket is in the first.
    const c = peakColumnsIn(peaks, 2, 0.5, 1);
    expect(Array.from(c.max)).toEqual([1, 0]);
    expect(Array.from(c.min)).toEqual([-1, 0]);
    // The first half has none of it.
    expect(Array.from(peakColumnsIn(peaks, 2, 0, 0.5).max)).toEqual([0, 0]);
  });

  it('interpolates between bucket centres when zoomed past the buckets', () => {
    // Buckets 4–6 (3/8 of the sample) across 12 columns: 4 columns per bucket, peak in the middle one.
    const max = Array.from(peakColumnsIn(peaks, 12, 4 / 8, 7 / 8).max);
    const top = Math.max(...max);
    expect(top).toBeGreaterThan(0.8);
    expect([5, 6]).toContain(max.indexOf(top));
    // It rises into the loud bucket and falls after it, rather than jumping.
    expect(max[2]).toBeGreaterThan(0);
    expect(max[2]).toBeLessThan(max[4]);
    expect(max[9]).toBeLessThan(max[7]);
  });

  it('answers empty columns for an empty range or no peaks', () => {
    expect(Array.from(peakColumnsIn(peaks, 3, 0.5, 0.5).max)).toEqual([0, 0, 0]);
    expect(peakColumnsIn([], 3, 0, 1).max.every((v) => v === 0)).toBe(true);
  });
});

it('drawPeakRange draws only the range asked for, one bar per device pixel', () => {
  const rects: number[][] = [];
  const ctx = {
    clearRect: vi.fn(),
    fillRect: (x: number, y: number, w: number, h: number) => rects.push([x, y, w, h]),
    fillStyle: '',
  } as unknown as CanvasRenderingContext2D;
  // The second (silent) half of a sample that is loud at its start: every bar is the one-pixel line.
  drawPeakRange(ctx, [-128, 127, 0, 0, 0, 0, 0, 0], { from: 0.5, to: 1 }, 4, 20, 2, '#f00');
  expect(rects).toHaveLength(8);
  expect(rects.every((r) => r[3] === 1)).toBe(true);
  expect(ctx.fillStyle).toBe('#f00');
});
