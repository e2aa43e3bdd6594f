import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { Play, ScanSearch, X, ZoomIn, ZoomOut } from 'lucide-react';
import { useAudio, useAudition, usePlayerState } from '../audio/AudioProvider';
import { isTyping } from '../audio/audition';
import { everyFrame, useElementSize } from '../lib/dom';
import { drawPeakRange } from '../lib/peakRange';
import { bucketCount, normalizeGain } from '../lib/peaks';
import {
  clampView,
  decimalsFor,
  DRAG_THRESHOLD_PX,
  edgeAt,
  fitView,
  formatSpan,
  formatZoom,
  isZoomed,
  keyStep,
  minSpan,
  moveRegion,
  panBy,
  panTo,
  regionBetween,
  regionView,
  resizeRegion,
  reveal,
  sameSpan,
  startForThumb,
  thumbGeometry,
  timeAt,
  wheelZoomFactor,
  xAt,
  ZOOM_STEP,
  zoomAnchor,
  zoomAt,
  zoomLevel,
  type Region,
  type View,
} from '../lib/waveformView';

/** The sample the big waveform shows. */
export interface WaveformSubject {
  id: number;
  name: string;
  bpm: number | null;
  duration: number;
}

interface Props {
  subject: WaveformSubject;
  /** the server's finest peaks (min/max pairs) */
  peaks: ArrayLike<number> | null | undefined;
  region: Region | null;
  onRegionChange: (r: Region | null) => void;
  color?: string;
}

/**
 * useRegionPlayer auditions a region of one sample through the app's one engine, as the chop
 * dialog plays its slices (the engine stops at the region's end).
 */
export function useRegionPlayer(s: { id: number; bpm: number | null }) {
  const audition = useAudition();
  const player = usePlayerState();
  const playing = player.id === s.id && player.playing;
  const play = (r: Region) => audition.play(s, { from: r.start, to: r.end });
  /** toggle stops whatever of this sample is playing, or plays the region */
  const toggle = (r: Region) => (playing ? audition.engine.stop() : play(r));
  return { play, toggle, playing };
}

const pct = (v: number) => `${Math.min(100, Math.max(0, v))}%`;

/**
 * DetailWaveform is the sample page's big waveform: one canvas redrawn for the part in view (no
 * element per peak), zoomed with buttons, keys or the wheel around the pointer and scrolled with
 * a scrollbar, Shift+wheel or the arrow keys. A drag selects a region, which plays on its own
 * through the app's engine; a click clears it and plays from there.
 */
export function DetailWaveform({ subject, peaks, region, onRegionChange, color = '#f97316' }: Props) {
  const { id, name, duration } = subject;
  const viewport = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const playhead = useRef<HTMLDivElement>(null);
  const size = useElementSize(viewport);
  const [rawView, setRawView] = useState<View>(() => fitView(duration));
  const buckets = peaks ? bucketCount(peaks) : 0;
  const min = minSpan(duration, buckets);
  // Kept inside the sample and the zoom limits however it was set (the peaks may arrive later).
  const view = clampView(rawView, duration, min);
  const span = view.end - view.start;
  const zoomed = isZoomed(view, duration);
  const gain = useMemo(() => (peaks ? normalizeGain(peaks) : 1), [peaks]);
  const { engine } = useAudio();
  const player = usePlayerState();
  const regionPlayer = useRegionPlayer(subject);
  const helpId = useId();
  const viewportId = useId();

  const setView = (f: (v: View) => View) => setRawView((v) => f(clampView(v, duration, min)));
  // The wheel listener and the playhead loop live outside renders: they read the latest values here.
  const latest = useRef({ view, duration, min });
  latest.current = { view, duration, min };

  useEffect(() => {
    const c = canvas.current;
    if (!c || !peaks || size.w === 0 || !(duration > 0)) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(size.w * dpr);
    const h = Math.round(size.h * dpr);
    if (c.width !== w) c.width = w;
    if (c.height !== h) c.height = h;
    const ctx = c.getContext('2d');
    if (ctx) drawPeakRange(ctx, peaks, { from: view.start / duration, to: view.end / duration }, size.w, size.h, dpr, color, gain);
  }, [peaks, size, color, gain, duration, view.start, view.end]);

  // The wheel must be able to cancel the page's scroll (and the browser's Ctrl+wheel zoom), which
  // React's passive wheel listener cannot: listen natively.
  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const { view: v, duration: d, min: m } = latest.current;
      const r = el.getBoundingClientRect();
      const zoom = e.ctrlKey || e.metaKey;
      const sideways = !zoom && (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY));
      let next: View;
      if (sideways) {
        const px = (e.deltaX !== 0 ? e.deltaX : e.deltaY) * (e.deltaMode === 1 ? 16 : 1);
        next = panBy(v, r.width > 0 ? (px / r.width) * (v.end - v.start) : 0, d, m);
      } else {
        next = zoomAt(v, wheelZoomFactor(e.deltaY, e.deltaMode), timeAt(v, e.clientX - r.left, r.width), d, m);
      }
      // At a limit a plain wheel scrolls the page as usual; Ctrl/⌘ always stays with the waveform.
      if (sameSpan(next, v) && !zoom) return;
      e.preventDefault();
      setRawView(next);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  // The playhead is placed straight from the engine each frame; it turns the page when it runs off
  // the right edge of a zoomed view, so what plays stays in sight.
  const active = player.id === id;
  const playing = active && player.playing;
  useEffect(() => {
    const el = playhead.current;
    if (!el) return;
    let was = -1;
    const place = () => {
      const { view: v, duration: d, min: m } = latest.current;
      const p = engine.progress(id, d);
      const t = p * d;
      if (playing && was >= v.start && was <= v.end && t > v.end) setRawView(panTo(v, t, d, m));
      was = t;
      const shown = p >= 0 && t >= v.start && t <= v.end;
      el.style.opacity = shown ? '1' : '0';
      el.style.left = pct(xAt(v, t, 100));
    };
    if (!playing) return place();
    return everyFrame(place);
  }, [engine, id, playing, active, view.start, view.end]);

  // Esc clears the region wherever the focus is (but in a field); the page also stops playing on Esc.
  const hasRegion = region !== null;
  useEffect(() => {
    if (!hasRegion) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape' && !isTyping(e.target)) onRegionChange(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [hasRegion, onRegionChange]);

  // A press starts a drag: from the pointer for a new region, or from the far edge when an edge
  // of the region was grabbed. Releasing without moving is a click.
  const drag = useRef<{ anchor: number; x0: number; moved: boolean } | null>(null);
  const pointer = (e: PointerEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - r.left;
    return { x, width: r.width, t: timeAt(view, Math.min(r.width, Math.max(0, x)), r.width) };
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || !(duration > 0)) return;
    const p = pointer(e);
    const edge = region ? edgeAt(region, view, p.x, p.width) : null;
    const anchor = edge === 'start' ? region!.end : edge === 'end' ? region!.start : p.t;
    drag.current = { anchor, x0: e.clientX, moved: edge !== null };
    e.currentTarget.setPointerCapture?.(e.pointerId);
    e.currentTarget.focus({ preventScroll: true });
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const p = pointer(e);
    const d = drag.current;
    if (!d) {
      // Show that a region's edge can be dragged.
      e.currentTarget.style.cursor = region && edgeAt(region, view, p.x, p.width) ? 'ew-resize' : '';
      return;
    }
    if (!d.moved && Math.abs(e.clientX - d.x0) < DRAG_THRESHOLD_PX) return;
    d.moved = true;
    onRegionChange(regionBetween(d.anchor, p.t, duration));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    drag.current = null;
    if (!d || d.moved) return;
    onRegionChange(null);
    engine.seek(id, duration > 0 ? pointer(e).t / duration : 0, duration);
  };

  const zoomBy = (factor: number) => setView((v) => zoomAt(v, factor, zoomAnchor(v, region), duration, min));
  const showRegion = (r: Region, edge: number) => {
    onRegionChange(r);
    setView((v) => reveal(v, edge, duration, min));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey || !(duration > 0)) return;
    const step = keyStep(view);
    switch (e.key) {
      case 'ArrowLeft':
      case 'ArrowRight': {
        const dir = e.key === 'ArrowRight' ? 1 : -1;
        if (e.shiftKey) {
          // Shift+arrows set the region's end; without a region one starts at the view's start.
          const r = resizeRegion(region ?? { start: view.start, end: view.start }, dir * step, duration, step);
          showRegion(r, r.end);
        } else if (region) {
          const r = moveRegion(region, dir * step, duration);
          showRegion(r, dir > 0 ? r.end : r.start);
        } else {
          setView((v) => panBy(v, dir * step * 5, duration, min));
        }
        break;
      }
      case 'Home':
        setView((v) => panTo(v, 0, duration, min));
        break;
      case 'End':
        setView((v) => panTo(v, duration, duration, min));
        break;
      case '+':
      case '=':
        zoomBy(ZOOM_STEP);
        break;
      case '-':
      case '_':
        zoomBy(1 / ZOOM_STEP);
        break;
      case '0':
        setRawView(fitView(duration));
        break;
      case ' ':
      case 'Enter':
        // Without a region Space is the page's: play or pause the whole sample.
        if (!region) return;
        regionPlayer.toggle(region);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const dec = decimalsFor(span);
  return (
    <div className="space-y-1.5">
      <div
        ref={viewport}
        id={viewportId}
        role="group"
        aria-roledescription="waveform"
        aria-label={`Waveform editor for ${name}`}
        aria-describedby={helpId}
        tabIndex={0}
        data-testid="detail-waveform"
        className="relative h-36 cursor-crosshair touch-pan-y select-none overflow-hidden rounded-lg bg-zinc-50 outline-none focus-visible:ring-2 focus-visible:ring-orange-500 sm:h-44 dark:bg-zinc-900"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => (drag.current = null)}
        onKeyDown={onKeyDown}
      >
        <div role="img" aria-label={`Waveform of ${name}`} data-peaks={peaks ? 'loaded' : 'waiting'} className="absolute inset-0">
          <canvas ref={canvas} className="absolute inset-0 h-full w-full" />
        </div>
        {region && (
          <div
            data-testid="waveform-region-shade"
            // An edge is only drawn where the region really ends, not where the view cuts it.
            className={`pointer-events-none absolute inset-y-0 border-orange-500 bg-orange-500/20 dark:bg-orange-400/25 ${region.start >= view.start ? 'border-l-2' : ''} ${region.end <= view.end ? 'border-r-2' : ''}`}
            style={{ left: pct(xAt(view, region.start, 100)), width: `calc(${pct(xAt(view, region.end, 100))} - ${pct(xAt(view, region.start, 100))})` }}
          />
        )}
        <div ref={playhead} className="pointer-events-none absolute inset-y-0 w-0.5 -translate-x-1/2 bg-zinc-900 opacity-0 dark:bg-white" data-playhead="" />
      </div>

      <Scrollbar view={view} duration={duration} controls={viewportId} hidden={!zoomed} onScroll={(start) => setView((v) => panTo(v, start, duration, min))} />

      <div className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm">
        <div className="flex items-center gap-1" role="group" aria-label="Zoom">
          <button type="button" className="btn touch-manipulation px-2" aria-label="Zoom out" title="Zoom out (−)" disabled={!zoomed} onClick={() => zoomBy(1 / ZOOM_STEP)}>
            <ZoomOut size={16} />
          </button>
          <button type="button" className="btn touch-manipulation px-2" aria-label="Zoom in" title="Zoom in (+)" disabled={span <= min + 1e-9} onClick={() => zoomBy(ZOOM_STEP)}>
            <ZoomIn size={16} />
          </button>
          <button type="button" className="btn" aria-label="Zoom to fit" title="Show the whole sample (0)" disabled={!zoomed} onClick={() => setRawView(fitView(duration))}>
            Fit
          </button>
          <button type="button" className="btn px-2" aria-label="Zoom to region" title="Zoom to the region" disabled={!region} onClick={() => region && setRawView(regionView(region, duration, min))}>
            <ScanSearch size={16} />
          </button>
        </div>
        <span className="tabular-nums text-zinc-500">
          <span data-testid="waveform-view">{formatSpan(view, dec)}</span> · <span data-testid="waveform-zoom">{formatZoom(zoomLevel(view, duration))}</span>
        </span>
        <div className="flex min-w-0 flex-wrap items-center gap-2 sm:ml-auto">
          <p
            className="tabular-nums"
            data-testid="waveform-region"
            aria-live="polite"
            data-start={region ? region.start.toFixed(4) : undefined}
            data-end={region ? region.end.toFixed(4) : undefined}
          >
            {region ? (
              <>
                Region {formatSpan(region, 3)} <span className="text-zinc-500">({(region.end - region.start).toFixed(3)} s)</span>
              </>
            ) : (
              <span className="text-zinc-500">Drag across the waveform to select a region</span>
            )}
          </p>
          <button type="button" className="btn" disabled={!region} onClick={() => region && regionPlayer.play(region)}>
            <Play size={14} /> Play region
          </button>
          <button type="button" className="btn px-2" aria-label="Clear region" title="Clear the region (Esc)" disabled={!region} onClick={() => onRegionChange(null)}>
            <X size={16} />
          </button>
        </div>
      </div>
      <p id={helpId} className="sr-only">
        Drag to select a region, or hold Shift and press the arrow keys. Space plays the region, Escape clears it. The arrow keys move the region, or scroll
        when there is none; plus, minus and 0 zoom in, out and to fit; Home and End scroll to the start and the end.
      </p>
    </div>
  );
}

/**
 * Scrollbar scrolls a zoomed view: drag the thumb, or press the track to centre the thumb there
 * and drag on. It stays in the layout when hidden so zooming does not move the page.
 */
function Scrollbar({ view, duration, controls, hidden, onScroll }: { view: View; duration: number; controls: string; hidden: boolean; onScroll: (start: number) => void }) {
  const grab = useRef<number | null>(null);
  const g = thumbGeometry(view, duration);
  const scrollTo = (e: PointerEvent<HTMLDivElement>, at: number) => {
    const r = e.currentTarget.getBoundingClientRect();
    if (r.width > 0) onScroll(startForThumb(((e.clientX - r.left - at) / r.width) * 100, view, duration));
  };
  const room = duration - (view.end - view.start);
  return (
    <div
      role="scrollbar"
      aria-label="Scroll the waveform"
      aria-controls={controls}
      aria-orientation="horizontal"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={room > 0 ? Math.round((view.start / room) * 100) : 0}
      data-testid="waveform-scrollbar"
      className={`relative h-4 touch-none py-1 ${hidden ? 'invisible' : ''}`}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        const r = e.currentTarget.getBoundingClientRect();
        const x = e.clientX - r.left;
        const left = (g.left / 100) * r.width;
        const w = (g.width / 100) * r.width;
        // Pressed on the thumb: hold it where it was taken; on the track: by its middle.
        grab.current = x >= left && x <= left + w ? x - left : w / 2;
        e.currentTarget.setPointerCapture?.(e.pointerId);
        scrollTo(e, grab.current);
      }}
      onPointerMove={(e) => grab.current !== null && scrollTo(e, grab.current)}
      onPointerUp={() => (grab.current = null)}
      onPointerCancel={() => (grab.current = null)}
    >
      <div className="h-full rounded-full bg-zinc-200 dark:bg-zinc-800">
        <div className="absolute inset-y-1 rounded-full bg-zinc-400 dark:bg-zinc-500" style={{ left: `${g.left}%`, width: `${g.width}%` }} />
      </div>
    </div>
  );
}
