import { memo } from 'react';
import { Link } from 'react-router';
import type { Sample } from '../../api/client';
import { speedShort, tempoSpeed } from '../../audio/tempo';
import { AnalysisState } from '../../components/Spinner';
import { Waveform } from '../../components/Waveform';
import { categoryLabel, formatBpm, formatDuration, formatKey } from '../../lib/format';
import { FavouriteToggle, MarkBox, PlayToggle, useLiveSample, type SampleItemProps } from './SampleRow';

/** CARD_WIDTH is the least width of a card; the grid fits as many as the view allows. */
export const CARD_WIDTH = 200;
export const CARD_HEIGHT = 128;

/** SampleCard is one sample of the library's card grid: the same actions as a table row. */
export const SampleCard = memo(function SampleCard(props: SampleItemProps) {
  if (!props.sample) {
    return <div className="h-full animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-900" aria-hidden />;
  }
  return <LoadedCard {...props} sample={props.sample} />;
});

function LoadedCard({ sample: s, index, selected, marked = false, playing, onSelect, onMark, onPlay, onFavorite, tempo = null, settled }: SampleItemProps & { sample: Sample }) {
  const wave = useLiveSample(s, !!settled);
  const speed = tempo ? tempoSpeed(true, tempo, s.bpm) : null;
  return (
    <div
      role="listitem"
      aria-current={selected || undefined}
      data-sample-id={s.id}
      className={`flex h-full min-w-0 cursor-default flex-col gap-1 rounded-lg border p-2 text-sm ${
        selected ? 'border-orange-400 bg-orange-50 dark:border-orange-600 dark:bg-orange-950/40' : 'border-zinc-200 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-900'
      }`}
      onClick={() => onSelect(index)}
      onDoubleClick={() => onPlay(index)}
    >
      <div className="flex min-w-0 items-center gap-1">
        <MarkBox sample={s} index={index} marked={marked} onMark={onMark} />
        <Link to={`/samples/${s.id}`} className="min-w-0 flex-1 truncate font-medium hover:underline" title={s.file_name} onClick={(e) => e.stopPropagation()}>
          {s.file_name}
        </Link>
        <AnalysisState sample={s} />
      </div>
      <div className="h-9">
        {s.analysis_state === 'done' && (
          <Waveform sampleId={s.id} peaks={wave.data} duration={s.duration_s} className="h-9 w-full" color={selected ? '#f97316' : '#a1a1aa'} />
        )}
      </div>
      <div className="flex min-w-0 items-center gap-1 text-xs text-zinc-600 dark:text-zinc-400">
        <span className="truncate">{categoryLabel(s.category)}</span>
        <span className="ml-auto tabular-nums" data-col="bpm">
          {formatBpm(s.bpm)}
          {speed && <span className="text-orange-600 dark:text-orange-400"> {speedShort(speed, true)}</span>}
        </span>
        <span className="tabular-nums" data-col="key">{formatKey(s)}</span>
      </div>
      <div className="mt-auto flex items-center gap-1">
        <PlayToggle sample={s} index={index} playing={playing} onPlay={onPlay} />
        <FavouriteToggle sample={s} onFavorite={onFavorite} />
        <span className="ml-auto text-xs tabular-nums text-zinc-500">
          {s.type ?? '–'} · {formatDuration(s.duration_s)}
        </span>
      </div>
    </div>
  );
}
