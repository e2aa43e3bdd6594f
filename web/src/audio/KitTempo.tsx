import { Disc3 } from 'lucide-react';
import { useAudio, usePlayerState } from './AudioProvider';
import { speedSentence } from './tempo';

/**
 * KitTempoToggle switches "play at kit tempo" on and off for the whole app (remembered in this
 * browser). The sample playing follows the switch at once.
 */
export function KitTempoToggle({ label = 'Play at kit tempo' }: { label?: string }) {
  const { kitTempo, setKitTempo } = useAudio();
  return (
    <button
      type="button"
      className={`btn ${kitTempo ? 'toggle-on' : ''}`}
      aria-pressed={kitTempo}
      onClick={() => setKitTempo(!kitTempo)}
      title="Vinyl-style, as the SP-404 plays without time-stretch: speed = kit BPM ÷ sample BPM, the pitch follows, within the device's 50–150 %. Samples without a BPM play at normal speed."
    >
      <Disc3 size={14} className={kitTempo ? 'text-orange-500' : ''} /> {label}
    </button>
  );
}

/** SpeedStatus says how fast the sample in the player runs, and why, while kit tempo is on. */
export function SpeedStatus({ className = '' }: { className?: string }) {
  const { kitTempo } = useAudio();
  const st = usePlayerState();
  const show = kitTempo && st.id !== null && st.speed !== null;
  return (
    <span role="status" aria-live="polite" className={`text-xs text-zinc-600 dark:text-zinc-400 ${className}`} data-testid="speed-status" data-rate={show ? st.rate : undefined}>
      {show ? speedSentence(st.speed!) : ''}
    </span>
  );
}
