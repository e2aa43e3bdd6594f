import { bucketCount, paintColumns, type Columns } from './peaks';

/**
 * The sample page's zoomed waveform draws part of the sample from the same server peaks as the
 * rest of the app. These helpers live apart from peaks.ts so the library's bundle does not carry
 * them.
 */

/**
 * peakColumnsIn resamples the part of the sample from `from` to `to` (fractions 0–1) to `width`
 * columns. Where a column covers a bucket or more it keeps the extremes of every bucket it covers,
 * as peakColumns does; where it covers less (a deep zoom) the envelope is interpolated between the
 * buckets' centres, so the few buckets in view draw as a smooth shape rather than wide blocks.
 */
export function peakColumnsIn(peaks: ArrayLike<number>, width: number, from: number, to: number): Columns {
  const w = Math.max(0, Math.floor(width));
  const n = bucketCount(peaks);
  const min = new Float32Array(w);
  const max = new Float32Array(w);
  if (n === 0 || w === 0 || !(to > from)) return { min, max };
  const first = from * n;
  const per = ((to - from) * n) / w;
  const at = (b: number) => Math.min(n - 1, Math.max(0, b));
  for (let x = 0; x < w; x++) {
    const lo = first + x * per;
    let a: number;
    let c: number;
    if (per >= 1) {
      a = Infinity;
      c = -Infinity;
      const end = Math.max(Math.floor(lo) + 1, Math.ceil(lo + per));
      for (let b = at(Math.floor(lo)); b < end && b < n; b++) {
        a = Math.min(a, peaks[2 * b]);
        c = Math.max(c, peaks[2 * b + 1]);
      }
    } else {
      // Bucket b's centre is at b + 0.5: interpolate between the two centres around this column's.
      const centre = lo + per / 2 - 0.5;
      const b = Math.floor(centre);
      const f = centre - b;
      const b0 = at(b);
      const b1 = at(b + 1);
      a = peaks[2 * b0] * (1 - f) + peaks[2 * b1] * f;
      c = peaks[2 * b0 + 1] * (1 - f) + peaks[2 * b1 + 1] * f;
    }
    min[x] = Math.max(-1, a / 128);
    max[x] = Math.min(1, c / 127);
  }
  return { min, max };
}

/** drawPeakRange paints the part of the waveform from `from` to `to` (fractions 0–1), as drawPeaks paints all of it. */
export function drawPeakRange(
  ctx: CanvasRenderingContext2D,
  peaks: ArrayLike<number>,
  range: { from: number; to: number },
  w: number,
  h: number,
  dpr: number,
  color: string,
  gain = 1,
) {
  const cw = Math.round(w * dpr);
  const ch = Math.round(h * dpr);
  paintColumns(ctx, peakColumnsIn(peaks, cw, range.from, range.to), cw, ch, color, gain);
}
