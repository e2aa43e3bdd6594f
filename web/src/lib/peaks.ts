/**
 * Server peaks are pairs [min, max] per bucket, as signed 8-bit values (-128…127), laid out flat:
 * [min0, max0, min1, max1, …]. These helpers map them onto pixel columns.
 */

export interface Columns {
  /** min and max per pixel column, in [-1, 1]. */
  min: Float32Array;
  max: Float32Array;
}

/** bucketCount is the number of [min, max] pairs in a flat peaks array. */
export const bucketCount = (peaks: ArrayLike<number>) => Math.floor(peaks.length / 2);

/**
 * peakColumns resamples the buckets to `width` columns. When there are more buckets than columns a
 * column takes the extremes of every bucket it covers (nothing is lost between pixels); when there
 * are fewer, each bucket spans several columns.
 */
export function peakColumns(peaks: ArrayLike<number>, width: number): Columns {
  const w = Math.max(0, Math.floor(width));
  const n = bucketCount(peaks);
  const min = new Float32Array(w);
  const max = new Float32Array(w);
  if (n === 0 || w === 0) return { min, max };
  for (let x = 0; x < w; x++) {
    const from = Math.floor((x * n) / w);
    const to = Math.max(from + 1, Math.floor(((x + 1) * n) / w));
    let lo = Infinity;
    let hi = -Infinity;
    for (let b = from; b < to && b < n; b++) {
      const a = peaks[2 * b];
      const c = peaks[2 * b + 1];
      if (a < lo) lo = a;
      if (c > hi) hi = c;
    }
    min[x] = Math.max(-1, lo / 128);
    max[x] = Math.min(1, hi / 127);
  }
  return { min, max };
}

/**
 * columnRect gives the y and height (in pixels, y down) of a column's bar in a canvas of height h.
 * A silent column still gets a one-pixel line so the waveform reads as present.
 */
export function columnRect(min: number, max: number, h: number, gain = 1) {
  const mid = h / 2;
  const top = mid - Math.min(1, max * gain) * mid;
  const bottom = mid - Math.max(-1, min * gain) * mid;
  if (bottom - top < 1) return { y: (top + bottom) / 2 - 0.5, height: 1 };
  return { y: top, height: bottom - top };
}

/** normalizeGain is the gain that makes the loudest peak fill the height, capped at maxGain. */
export function normalizeGain(peaks: ArrayLike<number>, maxGain = 4): number {
  let peak = 0;
  for (let i = 0; i < peaks.length; i++) {
    const v = Math.abs(peaks[i]) / 128;
    if (v > peak) peak = v;
  }
  if (peak === 0) return 1;
  return Math.min(maxGain, 1 / peak);
}

/** drawPeaks paints the waveform into a 2D context of css size w×h at the given pixel ratio. */
export function drawPeaks(
  ctx: CanvasRenderingContext2D,
  peaks: ArrayLike<number>,
  w: number,
  h: number,
  dpr: number,
  color: string,
  gain = 1,
) {
  const cw = Math.round(w * dpr);
  const ch = Math.round(h * dpr);
  paintColumns(ctx, peakColumns(peaks, cw), cw, ch, color, gain);
}

/** paintColumns clears a canvas of cw×ch device pixels and fills one bar per column. */
export function paintColumns(ctx: CanvasRenderingContext2D, cols: Columns, cw: number, ch: number, color: string, gain = 1) {
  ctx.clearRect(0, 0, cw, ch);
  ctx.fillStyle = color;
  for (let x = 0; x < cw; x++) {
    const r = columnRect(cols.min[x], cols.max[x], ch, gain);
    ctx.fillRect(x, r.y, 1, r.height);
  }
}
