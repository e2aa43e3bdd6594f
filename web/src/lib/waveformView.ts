/**
 * The sample page's big waveform shows a window of the sample (the view) and may hold a selected
 * region. Both are spans in seconds of the sample. These helpers do the zoom, scroll, selection
 * and pixel maths, so the component only wires events to them.
 */

export interface Span {
  /** seconds from the start of the sample */
  start: number;
  end: number;
}
export type View = Span;
export type Region = Span;

/**
 * The server's finest peaks have a fixed number of buckets per sample, so zooming further than a
 * handful of buckets across the view only magnifies the same few values: the deepest zoom shows
 * this many (and never less than MIN_SPAN_S, for very short samples).
 */
export const MIN_VISIBLE_BUCKETS = 16;
export const MIN_SPAN_S = 0.005;
/** what one press of a zoom button multiplies (or divides) the zoom by */
export const ZOOM_STEP = 2;
/** a pointer that moves less than this between press and release clicked rather than dragged */
export const DRAG_THRESHOLD_PX = 4;
/** how near (in pixels) a press must be to a region's edge to grab that edge */
export const EDGE_GRAB_PX = 6;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** minSpan is the shortest view (the deepest zoom) for a sample of `duration` with `buckets` peaks. */
export function minSpan(duration: number, buckets: number): number {
  if (!(duration > 0)) return 0;
  const byPeaks = buckets > 0 ? (duration * MIN_VISIBLE_BUCKETS) / buckets : duration;
  return Math.min(duration, Math.max(byPeaks, MIN_SPAN_S));
}

/** fitView shows the whole sample. */
export const fitView = (duration: number): View => ({ start: 0, end: Math.max(0, duration) });

/** clampView keeps a view inside the sample and between the deepest zoom and the whole sample. */
export function clampView(v: View, duration: number, min: number): View {
  const d = Math.max(0, duration);
  const wanted = v.end - v.start;
  const span = clamp(Number.isFinite(wanted) ? wanted : d, Math.min(min, d), d);
  const start = clamp(Number.isFinite(v.start) ? v.start : 0, 0, d - span);
  return { start, end: start + span };
}

/**
 * zoomAt zooms by `factor` (above 1 zooms in) keeping the time `anchor` at the same place on
 * screen, as a zoom around the pointer should.
 */
export function zoomAt(v: View, factor: number, anchor: number, duration: number, min: number): View {
  const span = v.end - v.start;
  if (!(factor > 0) || !(span > 0)) return clampView(v, duration, min);
  const next = clamp(span / factor, Math.min(min, duration), duration);
  const at = clamp((anchor - v.start) / span, 0, 1);
  const start = anchor - at * next;
  return clampView({ start, end: start + next }, duration, min);
}

/** panBy scrolls the view by `dt` seconds, stopping at either end of the sample. */
export const panBy = (v: View, dt: number, duration: number, min: number): View =>
  clampView({ start: v.start + dt, end: v.end + dt }, duration, min);

/** panTo scrolls the view to start at `start`, keeping its length. */
export const panTo = (v: View, start: number, duration: number, min: number): View =>
  clampView({ start, end: start + (v.end - v.start) }, duration, min);

/** reveal scrolls the view just enough to show time `t`. */
export function reveal(v: View, t: number, duration: number, min: number): View {
  if (t < v.start) return panTo(v, t, duration, min);
  if (t > v.end) return panTo(v, t - (v.end - v.start), duration, min);
  return v;
}

/** zoomLevel is how many times the view is magnified (1 when it shows the whole sample). */
export function zoomLevel(v: View, duration: number): number {
  const span = v.end - v.start;
  return span > 0 && duration > 0 ? duration / span : 1;
}

/** isZoomed tells whether part of the sample is out of view. */
export const isZoomed = (v: View, duration: number) => v.end - v.start < duration - 1e-9;

export const sameSpan = (a: Span, b: Span) => Math.abs(a.start - b.start) < 1e-9 && Math.abs(a.end - b.end) < 1e-9;

/** timeAt is the time under pixel `x` of a view drawn `width` pixels wide. */
export function timeAt(v: View, x: number, width: number): number {
  if (!(width > 0)) return v.start;
  return v.start + (x / width) * (v.end - v.start);
}

/** xAt is the pixel of time `t` in a view drawn `width` pixels wide (outside 0…width when out of view). */
export function xAt(v: View, t: number, width: number): number {
  const span = v.end - v.start;
  return span > 0 ? ((t - v.start) / span) * width : 0;
}

/**
 * wheelZoomFactor turns a wheel's deltaY into a zoom factor: one notch of a mouse wheel (about
 * 100 px) zooms by about 1.2×, and a trackpad's small deltas zoom smoothly. Rolling up zooms in.
 */
export function wheelZoomFactor(deltaY: number, deltaMode = 0): number {
  const px = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-clamp(px, -300, 300) * 0.002);
}

/**
 * zoomAnchor is where the zoom buttons and keys zoom around: the middle of the region when it is
 * in view (so it stays there), otherwise the middle of the view.
 */
export function zoomAnchor(v: View, region: Region | null): number {
  if (region && region.end > v.start && region.start < v.end) {
    return (Math.max(region.start, v.start) + Math.min(region.end, v.end)) / 2;
  }
  return (v.start + v.end) / 2;
}

/** regionView is the view that shows a region with a little room either side. */
export function regionView(r: Region, duration: number, min: number): View {
  const pad = (r.end - r.start) * 0.05;
  return clampView({ start: r.start - pad, end: r.end + pad }, duration, min);
}

/** regionBetween is the region between two times in either order, inside the sample; null when empty. */
export function regionBetween(a: number, b: number, duration: number): Region | null {
  const d = Math.max(0, duration);
  const start = clamp(Math.min(a, b), 0, d);
  const end = clamp(Math.max(a, b), 0, d);
  return end > start ? { start, end } : null;
}

/** moveRegion shifts a region by `dt` seconds, keeping its length, stopping at the sample's ends. */
export function moveRegion(r: Region, dt: number, duration: number): Region {
  const len = Math.min(r.end - r.start, Math.max(0, duration));
  const start = clamp(r.start + dt, 0, duration - len);
  return { start, end: start + len };
}

/** resizeRegion moves a region's end by `dt` seconds, never shorter than `minLen` nor past the sample. */
export function resizeRegion(r: Region, dt: number, duration: number, minLen: number): Region {
  const end = clamp(r.end + dt, Math.min(r.start + minLen, duration), duration);
  return { start: r.start, end };
}

/**
 * edgeAt tells whether pixel `x` is on the region's start or end edge (within EDGE_GRAB_PX), so a
 * drag there moves that edge instead of starting a new region.
 */
export function edgeAt(r: Region, v: View, x: number, width: number, grab = EDGE_GRAB_PX): 'start' | 'end' | null {
  const ds = Math.abs(x - xAt(v, r.start, width));
  const de = Math.abs(x - xAt(v, r.end, width));
  if (Math.min(ds, de) > grab) return null;
  return ds < de ? 'start' : 'end';
}

/** keyStep is how far an arrow key moves the region or the view: a fiftieth of what is in view. */
export const keyStep = (v: View) => (v.end - v.start) / 50;

/** decimalsFor shows milliseconds once the view is shorter than a second. */
export const decimalsFor = (span: number) => (span < 1 ? 3 : 2);

/** formatSpan writes a span as "0.52–1.10 s". */
export const formatSpan = (s: Span, decimals = 2) => `${s.start.toFixed(decimals)}–${s.end.toFixed(decimals)} s`;

/** formatZoom writes a zoom level as "1×", "2.5×", "64×". */
export function formatZoom(level: number): string {
  const r = level < 10 ? Math.round(level * 10) / 10 : Math.round(level);
  return `${r}×`;
}

/**
 * thumbGeometry places the scrollbar's thumb, in percent of its track: as wide as the part of the
 * sample in view, but never narrower than `minPct` so it stays easy to grab at deep zooms.
 */
export function thumbGeometry(v: View, duration: number, minPct = 4): { left: number; width: number } {
  if (!(duration > 0)) return { left: 0, width: 100 };
  const span = v.end - v.start;
  const width = clamp((span / duration) * 100, Math.min(minPct, 100), 100);
  const room = duration - span;
  return { left: room > 0 ? (v.start / room) * (100 - width) : 0, width };
}

/** startForThumb is the view's start when the thumb's left edge is at `leftPct` of the track. */
export function startForThumb(leftPct: number, v: View, duration: number, minPct = 4): number {
  const { width } = thumbGeometry(v, duration, minPct);
  const room = duration - (v.end - v.start);
  if (!(room > 0) || width >= 100) return 0;
  return clamp(leftPct / (100 - width), 0, 1) * room;
}
