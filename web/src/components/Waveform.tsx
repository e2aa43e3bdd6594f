import { useEffect, useRef } from 'react';
import { useElementSize } from '../lib/dom';
import { drawPeaks, normalizeGain } from '../lib/peaks';
import { useAudio, usePlayhead } from '../audio/AudioProvider';

interface Props {
  sampleId: number;
  peaks: ArrayLike<number> | null | undefined;
  duration: number;
  className?: string;
  color?: string;
  /** clicking seeks and plays from there */
  seekable?: boolean;
  label?: string;
}

/** Waveform draws server peaks on a canvas and moves a playhead while the sample plays. */
export function Waveform({ sampleId, peaks, duration, className = '', color = '#a1a1aa', seekable, label }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const size = useElementSize(canvas);
  const playhead = usePlayhead(sampleId, duration);
  const { engine } = useAudio();

  useEffect(() => {
    const c = canvas.current;
    if (!c || !peaks || size.w === 0) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(size.w * dpr);
    c.height = Math.round(size.h * dpr);
    const ctx = c.getContext('2d');
    if (ctx) drawPeaks(ctx, peaks, size.w, size.h, dpr, color, normalizeGain(peaks));
  }, [peaks, size, color]);

  return (
    <div
      className={`relative ${seekable ? 'cursor-pointer' : ''} ${className}`}
      role={label ? 'img' : undefined}
      aria-label={label}
      data-peaks={peaks ? 'loaded' : 'waiting'}
      onClick={
        seekable
          ? (e) => {
              const r = e.currentTarget.getBoundingClientRect();
              engine.seek(sampleId, (e.clientX - r.left) / r.width, duration);
            }
          : undefined
      }
    >
      <canvas ref={canvas} className="absolute inset-0 h-full w-full" />
      <div ref={playhead} className="pointer-events-none absolute inset-y-0 w-0.5 -translate-x-1/2 bg-orange-500 opacity-0" data-playhead="" />
    </div>
  );
}
