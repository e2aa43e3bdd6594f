import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Sparkles } from 'lucide-react';
import type { Sample } from '../../api/client';
import { ASPECTS, useSampleKits, useSimilar, useStoredVibe, useVibeRun, type Aspect } from '../../api/sampleExtras';
import { PlayButton } from '../../components/PlayButton';
import { Spinner } from '../../components/Spinner';
import { categoryLabel, formatBpm, formatPercent } from '../../lib/format';
import { stepLabel, type Vibe } from '../../lib/vibeSocket';

function Card({ title, children, aside, label }: { title: string; children: ReactNode; aside?: ReactNode; label?: string }) {
  return (
    <section className="rounded-xl border border-zinc-200 p-3 dark:border-zinc-800" aria-label={label ?? title}>
      <div className="mb-2 flex items-center gap-2">
        <h2 className="flex-1 text-sm font-semibold uppercase tracking-wide text-zinc-500">{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

export function SimilarCard({ sample, enabled }: { sample: Sample; enabled: boolean }) {
  const [aspect, setAspect] = useState<Aspect>('overall');
  const q = useSimilar(sample.id, aspect, enabled);
  return (
    <Card
      title="Similar"
      aside={
        <select aria-label="Similar by" value={aspect} onChange={(e) => setAspect(e.target.value as Aspect)}>
          {ASPECTS.map((a) => (
            <option key={a} value={a}>{a}</option>
          ))}
        </select>
      }
    >
      {!enabled && q.isPending ? (
        <p className="text-sm text-zinc-500">Available once the audio analysis is done.</p>
      ) : q.isPending ? (
        <p className="flex items-center gap-2 text-sm text-zinc-500"><Spinner /> Finding similar sounds…</p>
      ) : q.isError ? (
        <p className="text-sm text-red-600">{q.error.message}</p>
      ) : q.data.length === 0 ? (
        <p className="text-sm text-zinc-500">Nothing in the library sounds like this yet.</p>
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-900" data-testid="similar">
          {q.data.map(({ sample: o, score }) => (
            <li key={o.id} className="flex items-center gap-2 py-1 text-sm" data-sample-id={o.id}>
              <PlayButton sample={o} />
              <Link to={`/samples/${o.id}`} className="min-w-0 flex-1 truncate hover:underline" title={o.file_name}>{o.file_name}</Link>
              <span className="text-xs text-zinc-500">{categoryLabel(o.category)}{o.bpm ? ` · ${formatBpm(o.bpm)}` : ''}</span>
              <span className="w-12 text-right text-xs tabular-nums text-zinc-500" title="Similarity">{formatPercent(score)}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function KitsCard({ sample, enabled }: { sample: Sample; enabled: boolean }) {
  const q = useSampleKits(sample.id, enabled);
  return (
    <Card title="Used in kits">
      {q.isPending ? (
        <p className="flex items-center gap-2 text-sm text-zinc-500"><Spinner /> Loading…</p>
      ) : q.isError ? (
        <p className="text-sm text-red-600">{q.error.message}</p>
      ) : q.data.length === 0 ? (
        <p className="text-sm text-zinc-500">Not on any pad yet.</p>
      ) : (
        <ul className="space-y-1 text-sm" data-testid="used-in-kits">
          {q.data.map((u) => (
            <li key={`${u.kit_id}-${u.bank}-${u.pad}`} className="flex items-center gap-2">
              <Link to={`/kits/${u.kit_id}`} className="min-w-0 flex-1 truncate hover:underline">{u.kit_name}</Link>
              <span className="chip tabular-nums">pad {u.bank}{u.pad}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function Meter({ label, value }: { label: string; value: number }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div className="flex items-center gap-2 text-sm">
      <span className="w-24 text-zinc-500">{label}</span>
      <div className="h-2 flex-1 rounded-full bg-zinc-100 dark:bg-zinc-800" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="h-2 rounded-full bg-orange-500" style={{ width: `${pct}%` }} />
      </div>
      <span className="w-10 text-right tabular-nums text-zinc-500">{pct}%</span>
    </div>
  );
}

function Chips({ label, items }: { label: string; items: string[] | null }) {
  if (!items?.length) return null;
  return (
    <div className="flex flex-wrap items-baseline gap-1.5 text-sm">
      <span className="w-24 text-zinc-500">{label}</span>
      {items.map((t) => (
        <span key={t} className="chip">{t}</span>
      ))}
    </div>
  );
}

export function VibeView({ vibe, partial }: { vibe: Vibe; partial?: boolean }) {
  const sources = Object.entries(vibe.sources ?? {});
  return (
    <div className={`space-y-2 ${partial ? 'opacity-70' : ''}`} data-testid={partial ? 'vibe-partial' : 'vibe'}>
      <p className="text-base">
        <span className="font-semibold">{vibe.mood_primary || '–'}</span>
        {vibe.mood_secondary && <span className="text-zinc-500"> · {vibe.mood_secondary}</span>}
        {vibe.era && <span className="text-zinc-500"> · {vibe.era}</span>}
      </p>
      <Meter label="Energy" value={vibe.energy} />
      <Meter label="Danceability" value={vibe.danceability} />
      <Chips label="Texture" items={vibe.texture} />
      <Chips label="Genres" items={vibe.genres} />
      <Chips label="Descriptors" items={vibe.descriptors} />
      <Chips label="Best use" items={vibe.best_use} />
      <p className="text-xs text-zinc-500">
        Confidence {formatPercent(vibe.confidence)}
        {vibe.model ? ` · ${vibe.model}` : ''}
        {sources.length > 0 && ` · ${sources.map(([k, v]) => `${k}: ${v}`).join(', ')}`}
      </p>
    </div>
  );
}

export function VibeCard({ sample, enabled }: { sample: Sample; enabled: boolean }) {
  const stored = useStoredVibe(sample.id, enabled);
  const { live, start } = useVibeRun(sample.id);
  const running = live.phase === 'running';
  const ready = sample.analysis_state === 'done';
  const shown = live.vibe ?? stored.data?.vibe ?? null;
  const fallback = live.phase === 'complete' ? live.fallback : (stored.data?.fallback ?? '');
  return (
    <Card
      title="Vibe"
      aside={
        <button type="button" className="btn" disabled={!ready || running} onClick={start} title={ready ? undefined : 'The vibe needs the audio analysis first'}>
          <Sparkles size={14} className={running ? 'animate-pulse' : ''} /> {shown ? 'Re-run vibe' : 'Analyse vibe'}
        </button>
      }
    >
      <div className="space-y-3" data-testid="vibe-card" data-phase={live.phase}>
        {live.phase !== 'idle' && (
          <div className="space-y-1" aria-live="polite">
            <div className="h-1.5 rounded-full bg-zinc-100 dark:bg-zinc-800">
              <div className="h-1.5 rounded-full bg-orange-500 transition-all" style={{ width: `${live.progress}%` }} />
            </div>
            <ol className="text-xs text-zinc-500" data-testid="vibe-steps">
              {live.steps.map((s) => (
                <li key={s.step}>
                  {stepLabel(s.step)} <span className="tabular-nums">({s.progress}%)</span>
                </li>
              ))}
              {running && (
                <li className="flex items-center gap-1"><Spinner size={12} /> Working…</li>
              )}
              {live.phase === 'complete' && <li role="status">Vibe ready.</li>}
            </ol>
            {live.phase === 'error' && <p role="alert" className="text-sm text-red-600">{live.error}</p>}
          </div>
        )}
        {running && live.partial && <VibeView vibe={live.partial} partial />}
        {!running && shown && <VibeView vibe={shown} />}
        {!running && shown && fallback && <p className="text-xs text-zinc-500">Kept the offline vibe: {fallback}</p>}
        {!running && !shown && live.phase !== 'error' && (
          <p className="text-sm text-zinc-500">
            {stored.isPending && enabled ? 'Loading…' : stored.isError ? stored.error.message : 'No vibe yet.'}
          </p>
        )}
        {stored.data && live.phase === 'idle' && (
          <p className="text-xs text-zinc-500">Saved {new Date(stored.data.updated_at).toLocaleString()}</p>
        )}
      </div>
    </Card>
  );
}
