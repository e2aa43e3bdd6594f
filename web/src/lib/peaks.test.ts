// @vitest-environment node
import { bucketCount, columnRect, drawPeaks, normalizeGain, peakColumns } from './peaks';

describe('peakColumns', () => {
  it('keeps the extremes of every bucket a column covers', () => {
    // 4 buckets into 2 columns: column 0 covers buckets 0–1, column 1 covers 2–3.
    const peaks = [-10, 20, -64, 5, 0, 127, -128, 1];
    const c = peakColumns(peaks, 2);
    expect(Array.from(c.min)).toEqual([Math.fround(-64 / 128), -1]);
    expect(Array.from(c.max)).toEqual([Math.fround(20 / 127), 1]);
  });

  it('stretches fewer buckets over more columns', () => {
    const c = peakColumns([-128, 127, 0, 0], 4);
    expect(Array.from(c.max)).toEqual([1, 1, 0, 0]);
    expect(Array.from(c.min)).toEqual([-1, -1, 0, 0]);
  });

  it('covers every bucket exactly once when sizes do not divide', () => {
    // 64 coarse buckets into 50 columns: the loudest bucket must still show up.
    const peaks = new Array(128).fill(0);
    peaks[2 * 37 + 1] = 100;
    const c = peakColumns(peaks, 50);
    expect(Math.max(...c.max)).toBeCloseTo(100 / 127);
  });

  it('answers empty columns for no peaks or no width', () => {
    expect(peakColumns([], 10).max.every((v) => v === 0)).toBe(true);
    expect(peakColumns([1, 2], 0).max.length).toBe(0);
    expect(bucketCount([1, 2, 3])).toBe(1);
  });
});

describe('columnRect', () => {
  it('maps full scale to the full height', () => {
    expect(columnRect(-1, 1, 100)).toEqual({ y: 0, height: 100 });
  });
  it('maps an asymmetric column around the middle', () => {
    expect(columnRect(-0.5, 0.25, 100)).toEqual({ y: 37.5, height: 37.5 });
  });
  it('draws silence as a one-pixel line in the middle', () => {
    expect(columnRect(0, 0, 100)).toEqual({ y: 49.5, height: 1 });
  });
  it('applies gain and clips at full scale', () => {
    expect(columnRect(-0.25, 0.25, 100, 2)).toEqual({ y: 25, height: 50 });
    expect(columnRect(-0.8, 0.8, 100, 4)).toEqual({ y: 0, height: 100 });
  });
});

it('normalizeGain lifts quiet sounds up to a cap', () => {
  expect(normalizeGain([-64, 64])).toBeCloseTo(2);
  expect(normalizeGain([-8, 8])).toBe(4);
  expect(normalizeGain([-128, 127])).toBe(1);
  expect(normalizeGain([0, 0])).toBe(1);
});

it('drawPeaks fills one rectangle per device pixel column', () => {
  const rects: number[][] = [];
  const ctx = {
    clearRect: vi.fn(),
    fillRect: (x: number, y: number, w: number, h: number) => rects.push([x, y, w, h]),
    fillStyle: '',
  } as unknown as CanvasRenderingContext2D;
  drawPeaks(ctx, [-128, 127, 0, 0], 10, 20, 2, '#f00');
  expect(rects).toHaveLength(20);
  expect(rects[0]).toEqual([0, 0, 1, 40]);
  expect(rects[19]).toEqual([19, 19.5, 1, 1]);
  expect(ctx.fillStyle).toBe('#f00');
});
