import { Pause, Play } from 'lucide-react';
import type { Sample } from '../api/client';
import { useAudio, usePlayerState } from '../audio/AudioProvider';

/** PlayButton auditions a sample through the app's one audio element. */
export function PlayButton({ sample }: { sample: Pick<Sample, 'id' | 'file_name'> }) {
  const { engine } = useAudio();
  const player = usePlayerState();
  const playing = player.id === sample.id && player.playing;
  return (
    <button
      type="button"
      className="btn h-7 w-7 justify-center rounded-full p-0"
      aria-label={`${playing ? 'Pause' : 'Play'} ${sample.file_name}`}
      aria-pressed={playing}
      onClick={() => (player.id === sample.id ? engine.toggle() : engine.play(sample.id))}
    >
      {playing ? <Pause size={14} /> : <Play size={14} />}
    </button>
  );
}
