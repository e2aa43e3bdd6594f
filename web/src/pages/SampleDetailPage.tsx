import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ArrowLeft, Pause, Play, RefreshCw, Star, Trash2, X } from 'lucide-react';
import type { Sample, SamplePatch } from '../api/client';
import { ApiError } from '../api/client';
import { useDeleteSample, usePatchSample, useReanalyze, useSample, useWaveform } from '../api/samples';
import { useAudio, usePlayerState } from '../audio/AudioProvider';
import { useAuditionKeys } from '../audio/audition';
import { DetailWaveform, useRegionPlayer } from '../components/DetailWaveform';
import { AnalysisState, Spinner } from '../components/Spinner';
import { CATEGORIES, KEYS } from '../lib/filters';
import { categoryLabel, formatBpm, formatBytes, formatDb, formatDuration, formatPercent } from '../lib/format';
import type { Region } from '../lib/waveformView';
import { KitsCard, SimilarCard, VibeCard } from './sample/SampleExtras';

function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-3 border-b border-zinc-100 py-1.5 text-sm dark:border-zinc-900">
      <dt className="text-zinc-500">{label}</dt>
      <dd className="text-right tabular-nums">
        {children}
        {hint && <span className="ml-2 text-xs text-zinc-500">{hint}</span>}
      </dd>
    </div>
  );
}

function Card({ title, children, className = '' }: { title: string; children: ReactNode; className?: string }) {
  return (
    <section className={`rounded-xl border border-zinc-200 p-3 dark:border-zinc-800 ${className}`}>
      <h2 className="mb-2 text-sm font-semibold uppercase tracking-wide text-zinc-500">{title}</h2>
      {children}
    </section>
  );
}

function TagEditor({ tags, onChange, busy }: { tags: string[]; onChange: (t: string[]) => void; busy: boolean }) {
  const [text, setText] = useState('');
  const add = () => {
    const fresh = text.split(',').map((t) => t.trim()).filter((t) => t && !tags.includes(t));
    setText('');
    if (fresh.length) onChange([...tags, ...fresh]);
  };
  return (
    <div className="flex flex-wrap items-center gap-1.5" data-testid="tags">
      {tags.map((t) => (
        <span key={t} className="chip">
          {t}
          <button type="button" aria-label={`Remove tag ${t}`} disabled={busy} onClick={() => onChange(tags.filter((x) => x !== t))}>
            <X size={12} />
          </button>
        </span>
      ))}
      <input
        aria-label="Add tags"
        placeholder="add tag…"
        className="w-32"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            add();
          }
        }}
        onBlur={add}
      />
    </div>
  );
}

function Rating({ value, onChange }: { value: number; onChange: (v: number) => void }) {
  return (
    <div className="flex" role="radiogroup" aria-label="Rating">
      {[1, 2, 3, 4, 5].map((n) => (
        <button
          key={n}
          type="button"
          role="radio"
          aria-checked={value === n}
          aria-label={`${n} star${n === 1 ? '' : 's'}`}
          onClick={() => onChange(value === n ? 0 : n)}
        >
          <Star size={18} className={n <= value ? 'fill-amber-400 text-amber-400' : 'text-zinc-300 dark:text-zinc-600'} />
        </button>
      ))}
    </div>
  );
}

function Corrections({ s, save, busy }: { s: Sample; save: (p: SamplePatch) => void; busy: boolean }) {
  const [bpm, setBpm] = useState(s.bpm ? String(s.bpm) : '');
  useEffect(() => setBpm(s.bpm ? String(s.bpm) : ''), [s.bpm]);
  const bpmValue = Number(bpm);
  const bpmValid = bpm.trim() !== '' && Number.isFinite(bpmValue) && bpmValue > 0 && bpmValue <= 1000;
  const round = (v: number) => Math.round(v * 100) / 100;
  return (
    <div className="space-y-3 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <span className="w-20 text-zinc-500">BPM</span>
        <button type="button" className="btn" disabled={!s.bpm || busy} onClick={() => s.bpm && save({ bpm: round(s.bpm / 2) })}>½×</button>
        <button type="button" className="btn" disabled={!s.bpm || busy} onClick={() => s.bpm && save({ bpm: round(s.bpm * 2) })}>2×</button>
        <form
          className="flex items-center gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            if (bpmValid) save({ bpm: round(bpmValue) });
          }}
        >
          <input aria-label="BPM" inputMode="decimal" className="w-20" value={bpm} onChange={(e) => setBpm(e.target.value)} />
          <button type="submit" className="btn" disabled={!bpmValid || busy || bpmValue === s.bpm}>Set</button>
        </form>
        {(s.bpm_alternates ?? []).slice(0, 3).map((a) => (
          <button key={a} type="button" className="chip hover:bg-zinc-200 dark:hover:bg-zinc-700" disabled={busy} onClick={() => save({ bpm: a })} title="Use this reading">
            {formatBpm(a)}
          </button>
        ))}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <span className="w-20 text-zinc-500">Key</span>
        <select aria-label="Key correction" value={s.key ?? ''} disabled={busy} onChange={(e) => e.target.value && save({ key: e.target.value, scale: (s.scale as 'major' | 'minor' | null) ?? 'major' })}>
          {!s.key && <option value="">–</option>}
          {KEYS.map((k) => (
            <option key={k} value={k}>{k}</option>
          ))}
        </select>
        <select aria-label="Scale correction" value={s.scale ?? ''} disabled={busy} onChange={(e) => e.target.value && save({ scale: e.target.value as 'major' | 'minor', ...(s.key ? {} : { key: 'C' }) })}>
          {!s.scale && <option value="">–</option>}
          <option value="major">major</option>
          <option value="minor">minor</option>
        </select>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <span className="w-20 text-zinc-500">Category</span>
        <select aria-label="Category correction" value={s.category ?? ''} disabled={busy} onChange={(e) => e.target.value && save({ category: e.target.value })}>
          {!s.category && <option value="">–</option>}
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>{categoryLabel(c)}</option>
          ))}
        </select>
      </div>
    </div>
  );
}

/** A slice plays a region of another sample's file (a chopped loop): which, with a link to it. */
function SliceOf({ sample: s, enabled }: { sample: Sample; enabled: boolean }) {
  const sourceId = s.source_id ?? 0;
  const src = useSample(sourceId, { enabled: enabled && sourceId > 0 });
  const rate = src.data?.sample_rate || s.sample_rate;
  const at = (frame: number | null) => (frame !== null && rate > 0 ? (frame / rate).toFixed(3) : '?');
  return (
    <p className="text-sm text-zinc-500" data-testid="slice-of">
      Slice of{' '}
      <Link to={`/samples/${sourceId}`} className="text-orange-600 underline">
        {src.data?.file_name ?? `sample ${sourceId}`}
      </Link>
      , {at(s.region_start_frame)}–{at(s.region_end_frame)} s of its file
    </p>
  );
}

export default function SampleDetailPage() {
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const del = useDeleteSample();
  // Once deleted, nothing here may ask for the sample again.
  const gone = del.isPending || del.isSuccess;
  const q = useSample(id, { enabled: valid && !gone });
  const s = q.data;
  const wave = useWaveform(id, !gone && s?.analysis_state === 'done');
  const patch = usePatchSample();
  const reanalyze = useReanalyze();
  const navigate = useNavigate();
  const { engine } = useAudio();
  const player = usePlayerState();
  const [confirming, setConfirming] = useState(false);
  const [notes, setNotes] = useState('');
  useEffect(() => setNotes(s?.notes ?? ''), [s?.notes]);
  const playing = !!s && player.id === s.id && player.playing;
  // The selected region belongs to one sample: moving to another (a similar one) starts without.
  const [selection, setSelection] = useState<{ id: number; region: Region | null }>({ id, region: null });
  const region = selection.id === id ? selection.region : null;
  const setRegion = useCallback((r: Region | null) => setSelection({ id, region: r }), [id]);
  const regionPlayer = useRegionPlayer({ id, bpm: s?.bpm ?? null });

  // With a region selected, Space and → audition the region instead of the whole sample.
  useAuditionKeys({ index: s ? 0 : -1, count: 0, autoplay: false }, (a) => {
    if (!s) return;
    if (a.type === 'replay') (region ? regionPlayer.play(region) : engine.play(s.id));
    else if (a.type === 'stop') engine.stop();
    else if (a.type === 'toggle' && region) regionPlayer.toggle(region);
    else if (a.type === 'toggle') (player.id === s.id ? engine.toggle() : engine.play(s.id));
    else if (a.type === 'favorite') patch.mutate({ id: s.id, patch: { favorite: !s.favorite } });
  });

  if (!valid || (q.isError && q.error instanceof ApiError && q.error.status === 404)) {
    return (
      <div className="p-6 text-sm">
        <p className="mb-2">There is no sample with this id.</p>
        <Link to="/" className="text-orange-600 underline">Back to the library</Link>
      </div>
    );
  }
  if (!s) {
    return (
      <div className="flex items-center gap-2 p-6 text-sm text-zinc-500">
        {q.isError ? 'The sample could not be loaded.' : <><Spinner /> Loading…</>}
      </div>
    );
  }
  const save = (p: SamplePatch) => patch.mutate({ id: s.id, patch: p });
  const busy = patch.isPending;

  return (
    <div className="h-full overflow-auto">
      <div className="mx-auto max-w-5xl space-y-4 p-4">
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/'))} className="btn border-transparent" aria-label="Back">
            <ArrowLeft size={16} />
          </button>
          <h1 className="min-w-0 flex-1 truncate text-lg font-semibold" title={s.file_name}>{s.file_name}</h1>
          <AnalysisState sample={s} />
          <button type="button" className="btn" aria-pressed={s.favorite} onClick={() => save({ favorite: !s.favorite })}>
            <Star size={14} className={s.favorite ? 'fill-amber-400 text-amber-400' : ''} /> {s.favorite ? 'Favourite' : 'Add to favourites'}
          </button>
        </div>
        {s.source_id != null && <SliceOf sample={s} enabled={!gone} />}

        <div className="flex items-start gap-3">
          <button
            type="button"
            className="btn btn-primary h-10 w-10 shrink-0 justify-center rounded-full p-0"
            aria-label={playing ? 'Pause' : 'Play'}
            onClick={() => (player.id === s.id ? engine.toggle() : engine.play(s.id))}
          >
            {playing ? <Pause size={18} /> : <Play size={18} />}
          </button>
          <div className="min-w-0 flex-1">
            {s.analysis_state === 'done' ? (
              <DetailWaveform
                key={s.id}
                subject={{ id: s.id, name: s.file_name, bpm: s.bpm, duration: s.duration_s }}
                peaks={wave.data?.fine}
                region={region}
                onRegionChange={setRegion}
              />
            ) : (
              <div className="flex h-36 items-center justify-center gap-2 rounded-lg bg-zinc-50 text-sm text-zinc-500 sm:h-44 dark:bg-zinc-900">
                {s.analysis_state === 'failed' ? `Analysis failed: ${s.analysis_error ?? ''}` : <><Spinner /> Analysing…</>}
              </div>
            )}
          </div>
        </div>

        <div className="grid gap-4 md:grid-cols-2">
          <div className="min-w-0 space-y-4">
            <Card title="Analysis">
              <dl data-testid="analysis">
                <Field label="Type">{s.type ?? '–'}</Field>
                <Field label="Category" hint={s.category ? `confidence ${formatPercent(s.category_confidence)}` : undefined}>{categoryLabel(s.category)}</Field>
                <Field label="BPM" hint={s.bpm_source !== 'none' ? `${formatPercent(s.bpm_confidence)} · from ${s.bpm_source}` : undefined}>{formatBpm(s.bpm)}</Field>
                {(s.bpm_alternates ?? []).length > 0 && <Field label="Other readings">{(s.bpm_alternates ?? []).map(formatBpm).join(', ')}</Field>}
                <Field label="Key" hint={s.key ? `confidence ${formatPercent(s.key_confidence)}` : undefined}>{s.key ? `${s.key} ${s.scale ?? ''}` : '–'}</Field>
                <Field label="Root note">{s.root_note ?? '–'}</Field>
                <Field label="Loudness">{formatDb(s.loudness_lufs, 'LUFS')}</Field>
                <Field label="True peak">{formatDb(s.true_peak_dbtp, 'dBTP')}</Field>
                <Field label="Sample peak">{formatDb(s.peak_dbfs, 'dBFS')}</Field>
                {s.spectral && (
                  <>
                    <Field label="Spectral centroid">{Math.round(s.spectral.centroid_hz)} Hz</Field>
                    <Field label="Roll-off">{Math.round(s.spectral.rolloff_hz)} Hz</Field>
                    <Field label="Flatness">{s.spectral.flatness.toFixed(3)}</Field>
                    <Field label="Brightness">{formatPercent(s.spectral.brightness)}</Field>
                  </>
                )}
                <Field label="State" hint={s.analyzed_at ? new Date(s.analyzed_at).toLocaleString() : undefined}>
                  {s.analysis_state}
                  {s.analysis_version ? ` (v${s.analysis_version})` : ''}
                </Field>
              </dl>
              <button type="button" className="btn mt-3" disabled={reanalyze.isPending} onClick={() => reanalyze.mutate(s.id)}>
                <RefreshCw size={14} className={reanalyze.isPending ? 'animate-spin' : ''} /> Re-analyse
              </button>
            </Card>
            <VibeCard sample={s} enabled={!gone} />
            <SimilarCard sample={s} enabled={!gone && s.analysis_state === 'done'} />
            <KitsCard sample={s} enabled={!gone} />
          </div>

          <div className="space-y-4">
            <Card title="Your notes">
              <div className="space-y-3 text-sm">
                <div className="flex items-center gap-2">
                  <span className="w-20 text-zinc-500">Rating</span>
                  <Rating value={s.rating} onChange={(rating) => save({ rating })} />
                </div>
                <div className="flex items-start gap-2">
                  <span className="w-20 shrink-0 pt-1 text-zinc-500">Tags</span>
                  <TagEditor tags={s.tags ?? []} busy={busy} onChange={(tags) => save({ tags })} />
                </div>
                <div className="flex items-start gap-2">
                  <span className="w-20 shrink-0 pt-1 text-zinc-500">Notes</span>
                  <div className="flex-1 space-y-1">
                    <textarea aria-label="Notes" rows={3} className="w-full" value={notes} onChange={(e) => setNotes(e.target.value)} />
                    <button type="button" className="btn" disabled={busy || notes === (s.notes ?? '')} onClick={() => save({ notes })}>Save notes</button>
                  </div>
                </div>
              </div>
            </Card>
            <Card title="Corrections">
              <Corrections s={s} save={save} busy={busy} />
            </Card>
            <Card title="File">
              <dl>
                <Field label="Format">{s.format.toUpperCase()}</Field>
                <Field label="Length">{formatDuration(s.duration_s)}</Field>
                <Field label="Sample rate">{s.sample_rate ? `${s.sample_rate} Hz` : '–'}</Field>
                <Field label="Channels">{s.channels || '–'}</Field>
                <Field label="Bit depth">{s.bit_depth || '–'}</Field>
                <Field label="Size" hint={s.source_id != null ? "the original's file" : undefined}>{formatBytes(s.size_bytes)}</Field>
                <Field label="Added">{new Date(s.created_at).toLocaleString()}</Field>
              </dl>
            </Card>
            <div className="flex items-center gap-2">
              {!confirming ? (
                <button type="button" className="btn text-red-600" onClick={() => setConfirming(true)}>
                  <Trash2 size={14} /> Delete…
                </button>
              ) : (
                <>
                  <span className="text-sm">Delete “{s.file_name}” from the library?</span>
                  <button
                    type="button"
                    className="btn btn-danger"
                    disabled={del.isPending}
                    onClick={() => {
                      if (player.id === s.id) engine.stop();
                      del.mutate(s.id, { onSuccess: () => navigate('/', { replace: true }) });
                    }}
                  >
                    Delete
                  </button>
                  <button type="button" className="btn" onClick={() => setConfirming(false)}>Cancel</button>
                </>
              )}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
