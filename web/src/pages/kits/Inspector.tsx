import { useState } from 'react';
import { Eraser, Play, Plus, Save, Scissors } from 'lucide-react';
import type { Kit, Pad } from '../../api/kits';
import { useKitWrites, useRecommendations } from '../../api/kits';
import { useAudition } from '../../audio/AudioProvider';
import { speedSentence } from '../../audio/tempo';
import { Spinner } from '../../components/Spinner';
import { categoryLabel, formatBpm, formatDuration } from '../../lib/format';
import { bankTempo, padAudition, padLabel, sliceLabel } from '../../lib/pads';
import { CATEGORIES } from '../../lib/filters';
import { BOOL_FIELDS, BUSES, NUMBER_FIELDS, PLAY_MODES, settingsBody, settingsProblem, type EditableSettings } from '../../lib/padSettings';

function SettingsForm({ kit, pad }: { kit: Kit; pad: Pad }) {
  const { setPad } = useKitWrites(kit.id);
  const [s, setS] = useState<EditableSettings>(() => settingsBody(pad.settings));
  const problem = settingsProblem(s);
  const dirty = JSON.stringify(settingsBody(pad.settings)) !== JSON.stringify(s);
  const set = <K extends keyof EditableSettings>(k: K, v: EditableSettings[K]) => setS((old) => ({ ...old, [k]: v }));
  return (
    <form
      aria-label={`Settings of pad ${padLabel(pad.bank, pad.pad)}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (problem) return;
        setPad.mutate({ bank: pad.bank, pad: pad.pad, body: { sample_id: pad.sample_id, settings: settingsBody(s) } });
      }}
      className="flex flex-col gap-2"
    >
      <div className="grid grid-cols-2 gap-x-3 gap-y-1.5">
        {NUMBER_FIELDS.map((f) => (
          <label key={f.key} className="flex flex-col text-xs text-zinc-500">
            <span>
              {f.label} {f.hint && <span className="text-zinc-400">({f.hint})</span>}
            </span>
            <input
              type="number"
              min={f.zeroOk ? 0 : f.min}
              max={f.max}
              step={f.step ?? 1}
              value={Number.isFinite(s[f.key]) ? s[f.key] : ''}
              onChange={(e) => set(f.key, e.target.value === '' ? NaN : Number(e.target.value))}
            />
          </label>
        ))}
        <label className="flex flex-col text-xs text-zinc-500">
          Play mode
          <select value={s.play_mode} onChange={(e) => set('play_mode', e.target.value as EditableSettings['play_mode'])}>
            {PLAY_MODES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-xs text-zinc-500">
          Bus
          <select value={s.bus} onChange={(e) => set('bus', Number(e.target.value))}>
            {BUSES.map((b) => (
              <option key={b.value} value={b.value}>
                {b.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="flex flex-wrap gap-3 text-sm">
        {BOOL_FIELDS.map((f) => (
          <label key={f.key} className="flex items-center gap-1">
            <input type="checkbox" checked={s[f.key]} onChange={(e) => set(f.key, e.target.checked)} />
            {f.label}
          </label>
        ))}
      </div>
      {problem && <p className="text-xs text-red-600" role="status">{problem}</p>}
      <div className="flex gap-2">
        <button type="submit" className="btn btn-primary" disabled={!dirty || !!problem || setPad.isPending}>
          <Save size={14} /> Save settings
        </button>
        <button type="button" className="btn" disabled={!dirty} onClick={() => setS(settingsBody(pad.settings))}>
          Revert
        </button>
      </div>
    </form>
  );
}

function Recommendations({ kit, bank, padNo }: { kit: Kit; bank: string; padNo: number }) {
  const [role, setRole] = useState('');
  const recs = useRecommendations(kit.id, bank, padNo, role, true);
  const { setPad } = useKitWrites(kit.id);
  const audition = useAudition();
  return (
    <section aria-label="Recommendations" className="flex flex-col gap-1">
      <div className="flex items-center gap-2">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Suggestions for {padLabel(bank, padNo)}</h3>
        <select aria-label="Suggest a role" className="ml-auto py-0 text-xs" value={role} onChange={(e) => setRole(e.target.value)}>
          <option value="">pad’s usual role</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c)}
            </option>
          ))}
        </select>
      </div>
      {recs.isPending ? (
        <Spinner />
      ) : !recs.data?.length ? (
        <p className="text-xs text-zinc-500">No suggestions: the library has nothing that fits better here yet.</p>
      ) : (
        <ul className="flex flex-col gap-1">
          {recs.data.map((r) => (
            <li key={r.sample.id} className="rounded-md border border-zinc-200 p-1.5 text-sm dark:border-zinc-800">
              <div className="flex items-center gap-1">
                <span className="min-w-0 flex-1 truncate font-medium">{r.sample.file_name}</span>
                <button type="button" className="rounded p-1 hover:bg-zinc-100 dark:hover:bg-zinc-800" aria-label={`Play ${r.sample.file_name}`} onClick={() => audition.play(r.sample, { target: bankTempo(kit, bank) })}>
                  <Play size={14} />
                </button>
                <button
                  type="button"
                  className="btn"
                  disabled={setPad.isPending}
                  onClick={() => setPad.mutate({ bank, pad: padNo, body: { sample_id: r.sample.id } })}
                  aria-label={`Assign ${r.sample.file_name} to ${padLabel(bank, padNo)}`}
                >
                  <Plus size={14} /> Assign
                </button>
              </div>
              {!!r.reasons?.length && <p className="text-xs text-zinc-500">{r.reasons.join(' · ')}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Inspector shows the selected pad: its sample, every setting, clear, and suggestions. */
export function Inspector({ kit, bank, padNo, onChop }: { kit: Kit; bank: string; padNo: number; onChop: (p: Pad) => void }) {
  const pad = kit.pads?.find((p) => p.bank === bank && p.pad === padNo);
  const { clearPad } = useKitWrites(kit.id);
  const audition = useAudition();
  const sound = pad && padAudition(kit, pad);
  const slice = pad ? sliceLabel(pad, pad.duration_s) : '';
  return (
    <aside className="flex min-h-0 flex-col gap-3 overflow-auto rounded-xl border border-zinc-200 p-3 lg:sticky lg:top-0 lg:max-h-[calc(100vh-8rem)] dark:border-zinc-800" aria-label="Pad inspector">
      <div className="flex items-center gap-2">
        <h2 className="text-base font-semibold">Pad {padLabel(bank, padNo)}</h2>
        {pad && (
          <>
            <button type="button" className="btn ml-auto" onClick={() => audition.play(sound!.sample, sound!.opts)} aria-label={`Play pad ${padLabel(bank, padNo)}`}>
              <Play size={14} />
            </button>
            <button type="button" className="btn" onClick={() => onChop(pad)} aria-label={`Chop the sample of pad ${padLabel(bank, padNo)}`} title="Chop this sample across pads…">
              <Scissors size={14} />
            </button>
            <button type="button" className="btn" disabled={clearPad.isPending} onClick={() => clearPad.mutate({ bank, pad: padNo })}>
              <Eraser size={14} /> Clear pad
            </button>
          </>
        )}
      </div>
      {pad ? (
        <>
          <p className="text-sm">
            <span className="font-medium">{pad.sample_name}</span>{' '}
            <span className="text-zinc-500">
              {categoryLabel(pad.category)} · {pad.bpm ? `${formatBpm(pad.bpm)} BPM · ` : ''}
              {formatDuration(pad.duration_s)}
              {slice && ` · slice ${slice}`}
              {!!pad.settings.chops?.length && ` · ${pad.settings.chops.length} chop points`}
            </span>
          </p>
          {audition.kitTempo && sound && (
            <p className="text-xs text-orange-700 dark:text-orange-300" data-testid="pad-speed">
              At kit tempo ({formatBpm(sound.opts.target)} BPM): {speedSentence(audition.speedFor(sound.sample.bpm, sound.opts.target))}
            </p>
          )}
          <SettingsForm key={`${pad.bank}${pad.pad}:${pad.sample_id}:${JSON.stringify(pad.settings)}`} kit={kit} pad={pad} />
        </>
      ) : (
        <p className="text-sm text-zinc-500">Empty. Drag a sample here from the library, or pick a suggestion.</p>
      )}
      <Recommendations key={`${bank}${padNo}`} kit={kit} bank={bank} padNo={padNo} />
    </aside>
  );
}
