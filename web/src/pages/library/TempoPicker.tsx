import { useCallback, useState } from 'react';
import { useKits } from '../../api/kits';
import { useAudio } from '../../audio/AudioProvider';
import { KitTempoToggle } from '../../audio/KitTempo';
import { readStored, writeStored } from '../../lib/stored';

const KEY = 'sp404.libraryTempo';

function readTempo(): number | null {
  const v = Number(readStored(KEY));
  return v > 0 ? v : null;
}

/**
 * useLibraryTempo is the tempo the library auditions at while kit tempo is on: typed in or taken
 * from a kit, remembered in this browser. `target` is null while kit tempo is off or no tempo is set.
 */
export function useLibraryTempo() {
  const { kitTempo } = useAudio();
  const [bpm, setBpmState] = useState<number | null>(readTempo);
  const setBpm = useCallback((v: number | null) => {
    setBpmState(v);
    writeStored(KEY, v ? String(v) : null);
  }, []);
  return { bpm, setBpm, target: kitTempo ? bpm : null };
}

/** TempoPicker is the library's kit tempo switch, with the tempo to play at (typed, or a kit's). */
export function TempoPicker({ bpm, setBpm }: { bpm: number | null; setBpm: (v: number | null) => void }) {
  const { kitTempo } = useAudio();
  const kits = useKits(kitTempo);
  const [text, setText] = useState(bpm ? String(bpm) : '');
  const [prev, setPrev] = useState(bpm);
  if (prev !== bpm) {
    setPrev(bpm);
    setText(bpm ? String(bpm) : '');
  }
  const commit = (raw: string) => {
    const v = Number(raw);
    if (raw.trim() === '') setBpm(null);
    else if (Number.isFinite(v) && v >= 40 && v <= 300) setBpm(Math.round(v * 10) / 10);
    else setText(bpm ? String(bpm) : '');
  };
  return (
    <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Kit tempo">
      <KitTempoToggle label="Kit tempo" />
      {kitTempo && (
        <>
          <input
            type="number"
            min={40}
            max={300}
            step={0.1}
            className="w-20"
            placeholder="BPM"
            aria-label="Tempo to play at (BPM)"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onBlur={(e) => commit(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit((e.target as HTMLInputElement).value);
            }}
          />
          <select
            aria-label="Take the tempo of a kit"
            className="max-w-40"
            value=""
            onChange={(e) => {
              const k = kits.data?.items?.find((x) => String(x.id) === e.target.value);
              if (k) setBpm(k.bpm);
            }}
          >
            <option value="">{kits.isPending ? 'Kits…' : kits.data?.items?.length ? 'From a kit…' : 'No kits yet'}</option>
            {(kits.data?.items ?? []).map((k) => (
              <option key={k.id} value={k.id}>
                {k.name} · {k.bpm} BPM
              </option>
            ))}
          </select>
          {!bpm && <span className="text-xs text-zinc-500">Choose a tempo: until then samples play at normal speed.</span>}
        </>
      )}
    </div>
  );
}
