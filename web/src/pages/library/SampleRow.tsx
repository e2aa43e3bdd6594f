import { memo } from 'react';
import { Link } from 'react-router';
import { Pause, Play, Star } from 'lucide-react';
import type { Sample } from '../../api/client';
import { isBusy, useRowWaveform, useSample } from '../../api/samples';
import { speedSentence, speedShort, tempoSpeed } from '../../audio/tempo';
import { AnalysisState } from '../../components/Spinner';
import { Waveform } from '../../components/Waveform';
import { categoryLabel, formatBpm, formatDb, formatDuration, formatKey } from '../../lib/format';

/** The grid template is shared by the header and rows; narrow screens show fewer columns. */
export const GRID =
  'grid grid-cols-[1.25rem_2rem_2rem_minmax(6rem,1fr)_3.5rem_3rem_2.5rem] md:grid-cols-[1.25rem_2rem_2rem_minmax(10rem,1.4fr)_minmax(6rem,1fr)_4.5rem_5.5rem_3.5rem_3rem_4rem] ' +
  'lg:grid-cols-[1.25rem_2rem_2rem_minmax(12rem,1.6fr)_minmax(8rem,1fr)_4.5rem_5.5rem_3.5rem_3rem_4rem_5rem_minmax(6rem,1fr)] items-center gap-x-2';

export const ROW_HEIGHT = 44;

/** SampleItemProps are what a row of the table and a card of the grid both take. */
export interface SampleItemProps {
  sample: Sample | undefined;
  index: number;
  selected: boolean;
  /** ticked for a bulk action */
  marked?: boolean;
  playing: boolean;
  onSelect: (index: number) => void;
  /** tick or untick the row; with shift, tick every row from the last one ticked */
  onMark?: (index: number, range: boolean) => void;
  onPlay: (index: number) => void;
  onFavorite: (s: Sample) => void;
  /** the tempo auditions follow (kit tempo on), or null */
  tempo?: number | null;
  /** the row has stayed on screen long enough to load its waveform */
  settled?: boolean;
}

/** SampleRow is one line of the library; it polls its sample while analysis runs. */
export const SampleRow = memo(function SampleRow({ sample, index, selected, marked = false, playing, onSelect, onMark, onPlay, onFavorite, tempo = null, settled = true }: SampleItemProps) {
  if (!sample) {
    return (
      <div className={`${GRID} h-full px-2`} aria-hidden>
        <div />
        <div />
        <div />
        <div className="h-3 w-2/3 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      </div>
    );
  }
  return <LoadedRow sample={sample} index={index} selected={selected} marked={marked} playing={playing} onSelect={onSelect} onMark={onMark} onPlay={onPlay} onFavorite={onFavorite} tempo={tempo} settled={settled} />;
});

/**
 * useLiveSample keeps an item on screen current: it polls the sample while analysis runs and
 * fetches its coarse peaks once it has settled. Only items on screen exist, so only they poll and
 * fetch; items that only fly past while scrolling fetch nothing, because the page marks items
 * settled once the view has rested, all in one render, so their peaks come in one batched
 * request (cached peaks show at once).
 */
export function useLiveSample(s: Sample, settled: boolean) {
  useSample(s.id, { enabled: isBusy(s), initial: s });
  return useRowWaveform(s.id, settled && s.analysis_state === 'done');
}

type ItemAction = Pick<SampleItemProps, 'index'> & { sample: Sample };

/** MarkBox ticks an item for a bulk action; shift-click ticks a range. */
export function MarkBox({ sample: s, index, marked, onMark }: ItemAction & { marked: boolean; onMark?: SampleItemProps['onMark'] }) {
  return (
    <input
      type="checkbox"
      aria-label={`Select ${s.file_name}`}
      checked={marked}
      disabled={!onMark}
      onClick={(e) => e.stopPropagation()}
      onChange={(e) => onMark?.(index, (e.nativeEvent as MouseEvent).shiftKey === true)}
    />
  );
}

export function PlayToggle({ sample: s, index, playing, onPlay }: ItemAction & Pick<SampleItemProps, 'playing' | 'onPlay'>) {
  return (
    <button
      type="button"
      aria-label={playing ? `Pause ${s.file_name}` : `Play ${s.file_name}`}
      className="flex h-7 w-7 items-center justify-center rounded-full hover:bg-zinc-200 dark:hover:bg-zinc-800"
      onClick={(e) => {
        e.stopPropagation();
        onPlay(index);
      }}
    >
      {playing ? <Pause size={14} /> : <Play size={14} />}
    </button>
  );
}

export function FavouriteToggle({ sample: s, onFavorite }: { sample: Sample; onFavorite: SampleItemProps['onFavorite'] }) {
  return (
    <button
      type="button"
      aria-label={s.favorite ? `Unfavourite ${s.file_name}` : `Favourite ${s.file_name}`}
      aria-pressed={s.favorite}
      className="flex h-7 w-7 items-center justify-center"
      onClick={(e) => {
        e.stopPropagation();
        onFavorite(s);
      }}
    >
      <Star size={15} className={s.favorite ? 'fill-amber-400 text-amber-400' : 'text-zinc-300 dark:text-zinc-600'} />
    </button>
  );
}

function LoadedRow({ sample: s, index, selected, marked, playing, onSelect, onMark, onPlay, onFavorite, tempo, settled }: SampleItemProps & { sample: Sample }) {
  const wave = useLiveSample(s, !!settled);
  const speed = tempo ? tempoSpeed(true, tempo, s.bpm) : null;
  return (
    <div
      role="row"
      aria-selected={selected}
      data-sample-id={s.id}
      className={`${GRID} h-full cursor-default border-b border-zinc-100 px-2 text-sm dark:border-zinc-900 ${
        selected ? 'bg-orange-50 dark:bg-orange-950/40' : 'hover:bg-zinc-50 dark:hover:bg-zinc-900'
      }`}
      onClick={() => onSelect(index)}
      onDoubleClick={() => onPlay(index)}
    >
      <MarkBox sample={s} index={index} marked={!!marked} onMark={onMark} />
      <PlayToggle sample={s} index={index} playing={playing} onPlay={onPlay} />
      <FavouriteToggle sample={s} onFavorite={onFavorite} />
      <div role="cell" className="flex min-w-0 items-center gap-1.5">
        <Link
          to={`/samples/${s.id}`}
          className="truncate font-medium hover:underline"
          title={s.file_name}
          onClick={(e) => e.stopPropagation()}
        >
          {s.file_name}
        </Link>
        <AnalysisState sample={s} />
      </div>
      <div role="cell" className="h-7">
        {s.analysis_state === 'done' && (
          <Waveform sampleId={s.id} peaks={wave.data} duration={s.duration_s} className="h-7 w-full" color={selected ? '#f97316' : '#a1a1aa'} />
        )}
      </div>
      <div role="cell" className="hidden truncate text-zinc-600 md:block dark:text-zinc-400">{s.type ?? '–'}</div>
      <div role="cell" className="hidden truncate text-zinc-600 md:block dark:text-zinc-400" data-col="category">{categoryLabel(s.category)}</div>
      <div role="cell" className="text-right tabular-nums" data-col="bpm" title={speed ? speedSentence(speed) : undefined}>
        {formatBpm(s.bpm)}
        {speed && (
          <span className="block text-[10px] leading-tight text-orange-600 dark:text-orange-400" data-col="speed">
            {speedShort(speed, true)}
          </span>
        )}
      </div>
      <div role="cell" className="text-right tabular-nums md:text-left" data-col="key">{formatKey(s)}</div>
      <div role="cell" className="hidden text-right tabular-nums md:block">{formatDuration(s.duration_s)}</div>
      <div role="cell" className="hidden text-right tabular-nums lg:block">{formatDb(s.loudness_lufs, 'LUFS')}</div>
      <div role="cell" className="hidden min-w-0 gap-1 overflow-hidden lg:flex">
        {(s.tags ?? []).slice(0, 3).map((t) => (
          <span key={t} className="chip truncate">{t}</span>
        ))}
      </div>
    </div>
  );
}
