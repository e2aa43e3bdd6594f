import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import {
  closestCenter,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
} from '@dnd-kit/core';
import { ArrowLeft, Wand2 } from 'lucide-react';
import { ApiError, type Sample } from '../../api/client';
import { useKit, useKitWrites, type Kit, type Pad } from '../../api/kits';
import { usePreferences } from '../../api/usage';
import { TempoScope, useAudition, usePlayerState } from '../../audio/AudioProvider';
import { KitTempoToggle, SpeedStatus } from '../../audio/KitTempo';
import { speedSentence, speedShort } from '../../audio/tempo';
import { Spinner } from '../../components/Spinner';
import { categoryLabel } from '../../lib/format';
import { padRange } from '../../lib/chop';
import {
  BANKS,
  bankValues,
  dropAction,
  nearestInDirection,
  padDragId,
  padDropId,
  padAudition,
  padLabel,
  padRows,
  padsPerBank,
  sliceLabel,
  type DragData,
  type DropData,
} from '../../lib/pads';
import { ChopDialog, type ChopDone, type ChopSubject } from './ChopDialog';
import { ExportPanel } from './ExportPanel';
import { Inspector } from './Inspector';
import { LibraryPanel } from './LibraryPanel';

const ARROWS: Record<string, 'up' | 'down' | 'left' | 'right'> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

/** Arrow keys jump a keyboard drag from pad to pad (and from the library onto the grid). */
const padKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  const dir = ARROWS[event.code];
  const dragged = context.collisionRect;
  if (!dir || !dragged) return undefined;
  // Step from the pad the drag is over (the dragged chip is smaller than a pad, so its own centre
  // would find that same pad again), or from the chip when it is over none yet.
  const from = (context.over && context.droppableRects.get(context.over.id)) || dragged;
  event.preventDefault();
  const boxes: Array<[string, { left: number; top: number; width: number; height: number }]> = [];
  for (const [id, r] of context.droppableRects) boxes.push([String(id), r]);
  const next = nearestInDirection(from, boxes, dir);
  if (!next) return currentCoordinates;
  const r = context.droppableRects.get(next)!;
  return { x: r.left + r.width / 2 - dragged.width / 2, y: r.top + r.height / 2 - dragged.height / 2 };
};

// The pointer decides for mouse and touch drags; a keyboard drag has no pointer, so the nearest pad does.
const collision: CollisionDetection = (args) => (args.pointerCoordinates ? pointerWithin(args) : closestCenter(args));

const dragName = (d: DragData | undefined) => (d ? (d.kind === 'pad' ? `pad ${padLabel(d.bank, d.pad)} (${d.name})` : d.name) : 'item');
const dropName = (d: DropData | undefined) => (d ? `pad ${padLabel(d.bank, d.pad)}` : 'nowhere');
const announcements: Announcements = {
  onDragStart: ({ active }) => `Picked up ${dragName(active.data.current as DragData)}. Arrow keys move between pads, space drops, escape cancels.`,
  onDragOver: ({ active, over }) => `${dragName(active.data.current as DragData)} is over ${dropName(over?.data.current as DropData)}.`,
  onDragEnd: ({ active, over }) => `${dragName(active.data.current as DragData)} dropped on ${dropName(over?.data.current as DropData)}.`,
  onDragCancel: ({ active }) => `Dragging ${dragName(active.data.current as DragData)} cancelled.`,
};

function PadCell({ kit, bank, n, pad, selected, onSelect }: { kit: Kit; bank: string; n: number; pad?: Pad; selected: boolean; onSelect: () => void }) {
  const drop: DropData = { kind: 'pad-slot', bank, pad: n };
  const { setNodeRef: dropRef, isOver } = useDroppable({ id: padDropId(bank, n), data: drop });
  const dragData: DragData | undefined = pad && { kind: 'pad', bank, pad: n, sampleId: pad.sample_id, name: pad.sample_name };
  const { attributes, listeners, setNodeRef: dragRef, isDragging } = useDraggable({ id: padDragId(bank, n), data: dragData, disabled: !pad });
  const player = usePlayerState();
  const audition = useAudition();
  const label = padLabel(bank, n);
  const sound = pad && padAudition(kit, pad);
  // Slices of one loop share a sample: only the pad whose part is playing lights up.
  const playing =
    !!sound && player.playing && player.id === sound.sample.id && player.from === (sound.opts.from ?? 0) && player.to === (sound.opts.to ?? null);
  const speed = sound && audition.kitTempo ? audition.speedFor(sound.sample.bpm, sound.opts.target) : null;
  const slice = pad ? sliceLabel(pad, pad.duration_s) : '';
  const chops = pad?.settings.chops?.length ?? 0;
  return (
    <div
      ref={(el) => {
        dropRef(el);
        dragRef(el);
      }}
      {...(pad ? listeners : {})}
      {...attributes}
      role="button"
      tabIndex={0}
      aria-roledescription={pad ? 'draggable pad' : 'pad'}
      aria-pressed={selected}
      aria-disabled={undefined}
      aria-label={pad ? `Pad ${label}: ${pad.sample_name}` : `Pad ${label}: empty`}
      data-pad={label}
      data-filled={pad ? 'true' : 'false'}
      data-playing={playing ? 'true' : undefined}
      onClick={onSelect}
      onFocus={(e) => {
        if (e.target === e.currentTarget && !selected) onSelect();
      }}
      className={`relative flex aspect-square min-w-0 cursor-pointer touch-none select-none flex-col justify-between rounded-lg border-2 p-1.5 text-left text-xs transition-colors ${
        isOver ? 'border-orange-500 bg-orange-50 dark:bg-orange-950' : selected ? 'border-orange-400' : 'border-zinc-200 dark:border-zinc-800'
      } ${pad ? 'bg-zinc-100 dark:bg-zinc-900' : ''} ${isDragging ? 'opacity-40' : ''} ${playing ? 'ring-2 ring-orange-500' : ''}`}
    >
      <span className="flex items-start justify-between gap-1">
        <span className="font-mono text-[11px] text-zinc-500">{n}</span>
        {speed && (
          <span className="truncate text-[10px] text-orange-600 tabular-nums dark:text-orange-400" title={speedSentence(speed)} data-speed={speed.rate}>
            {speedShort(speed)}
          </span>
        )}
      </span>
      {pad ? (
        <span className="min-w-0">
          <span className="block truncate font-medium">{pad.sample_name}</span>
          <span className="block truncate text-zinc-500" data-slice={slice || undefined}>
            {slice ? `✂ ${slice}` : chops > 0 ? `✂ ${chops} chop points` : categoryLabel(pad.category)}
          </span>
        </span>
      ) : (
        <span className="text-zinc-400">empty</span>
      )}
    </div>
  );
}

function NumberSetting({ label, value, min, max, step, onCommit, hint }: { label: string; value: number; min: number; max: number; step?: number; onCommit: (v: number) => void; hint?: ReactNode }) {
  const [text, setText] = useState(String(value));
  const [prev, setPrev] = useState(value);
  if (prev !== value) {
    setPrev(value);
    setText(String(value));
  }
  const commit = () => {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v) || v < min || v > max) {
      setText(String(value));
      return;
    }
    if (v !== value) onCommit(v);
  };
  return (
    <label className="flex items-center gap-1 text-xs text-zinc-500">
      {label}
      <input
        type="number"
        className="w-20"
        min={min}
        max={max}
        step={step ?? 1}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      {hint}
    </label>
  );
}

interface SwapOffer {
  bank: string;
  pad: number;
  toBank: string;
  toPad: number;
}

function KitEditor({ kit }: { kit: Kit }) {
  const [bank, setBank] = useState<string>('A');
  const [padNo, setPadNo] = useState(1);
  const [active, setActive] = useState<DragData | null>(null);
  const [swap, setSwap] = useState<SwapOffer | null>(null);
  const [completeNote, setCompleteNote] = useState('');
  const [chop, setChop] = useState<ChopSubject | null>(null);
  const writes = useKitWrites(kit.id);
  const prefs = usePreferences();
  const audition = useAudition();
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: padKeyboardCoordinates }),
  );
  const pads = new Map((kit.pads ?? []).map((p) => [padLabel(p.bank, p.pad), p]));
  const bankIndex = BANKS.indexOf(bank as (typeof BANKS)[number]);
  const perBank = padsPerBank(kit.device);
  const filledIn = (b: string) => (kit.pads ?? []).filter((p) => p.bank === b).length;

  const select = (b: string, n: number) => {
    setBank(b);
    setPadNo(n);
  };

  const onDragStart = (e: DragStartEvent) => setActive((e.active.data.current as DragData) ?? null);
  const onDragEnd = (e: DragEndEvent) => {
    setActive(null);
    const act = dropAction(e.active.data.current as DragData | undefined, e.over?.data.current as DropData | undefined);
    if (!act) return;
    select(act.type === 'assign' ? act.bank : act.body.to_bank, act.type === 'assign' ? act.pad : act.body.to_pad);
    if (act.type === 'assign') {
      writes.setPad.mutate({ bank: act.bank, pad: act.pad, body: act.body });
      return;
    }
    writes.movePad.mutate(act, {
      onError: (err) => {
        if (err instanceof ApiError && err.status === 409) {
          setSwap({ bank: act.bank, pad: act.pad, toBank: act.body.to_bank, toPad: act.body.to_pad });
        } else {
          setCompleteNote(err.message);
        }
      },
    });
  };
  const assign = (s: Sample) => writes.setPad.mutate({ bank, pad: padNo, body: { sample_id: s.id } });
  const chopped = (r: ChopDone) => {
    setChop(null);
    select(r.bank, r.pad);
    setCompleteNote(
      r.table
        ? `Wrote ${r.slices} chop points to pad ${r.pads[0]}.`
        : `Chopped into ${r.slices} slices on ${padRange(r.pads)}.`,
    );
  };

  return (
    <DndContext sensors={sensors} collisionDetection={collision} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setActive(null)} accessibility={{ announcements }}>
      <div className="grid items-start gap-3 lg:min-h-0 lg:flex-1 lg:grid-cols-[minmax(220px,1fr)_minmax(320px,2fr)_minmax(260px,1.2fr)]">
        <LibraryPanel target={padLabel(bank, padNo)} onAssign={assign} onChop={(s) => setChop({ id: s.id, name: s.file_name, bpm: s.bpm, duration: s.duration_s })} />
        <section className="flex min-w-0 flex-col gap-2" aria-label="Pads">
          <div role="tablist" aria-label="Banks" className="flex flex-wrap gap-1">
            {BANKS.map((b) => {
              const n = filledIn(b);
              return (
                <button
                  key={b}
                  type="button"
                  role="tab"
                  aria-selected={b === bank}
                  aria-controls="pad-grid"
                  onClick={() => select(b, padNo)}
                  className={`btn min-w-9 justify-center ${b === bank ? 'toggle-on' : ''}`}
                >
                  {b}
                  {n > 0 && <span className="text-[10px] tabular-nums text-zinc-500">{n}</span>}
                </button>
              );
            })}
          </div>
          <div id="pad-grid" role="tabpanel" aria-label={`Bank ${bank}`} className="grid max-w-md grid-cols-4 gap-2" data-testid="pad-grid">
            {padRows(kit.device).flat().map((n) => (
              <PadCell
                key={`${bank}${n}`}
                kit={kit}
                bank={bank}
                n={n}
                pad={pads.get(padLabel(bank, n))}
                selected={padNo === n}
                onSelect={() => {
                  select(bank, n);
                  const p = pads.get(padLabel(bank, n));
                  if (p) {
                    const a = padAudition(kit, p);
                    audition.play(a.sample, a.opts);
                  }
                }}
              />
            ))}
          </div>
          <p className="text-xs text-zinc-500">
            Laid out as printed on the {kit.device === 'sx' ? 'SX' : 'MKII'}: pad 1 bottom-left, pad {perBank} top-right. Click a pad to hear it (a chopped pad plays its
            slice); drag pads to move them (keyboard: space to pick up, arrows, space to drop).
          </p>
          <div className="flex flex-wrap items-center gap-3 rounded-xl border border-zinc-200 p-2 dark:border-zinc-800" aria-label={`Bank ${bank} settings`}>
            <NumberSetting
              label={`Bank ${bank} tempo`}
              value={kit.bank_tempos?.[bankIndex] ?? 0}
              min={0}
              max={300}
              step={0.1}
              hint={<span className="text-zinc-400">0 = kit’s</span>}
              onCommit={(v) => writes.patch.mutate({ bank_tempos: bankValues(kit.bank_tempos, 0, bank, v) })}
            />
            <NumberSetting
              label={`Bank ${bank} volume`}
              value={kit.bank_volumes?.[bankIndex] ?? 127}
              min={0}
              max={127}
              onCommit={(v) => writes.patch.mutate({ bank_volumes: bankValues(kit.bank_volumes, 127, bank, v) })}
            />
            <button
              type="button"
              className="btn ml-auto"
              disabled={writes.complete.isPending || filledIn(bank) >= perBank}
              onClick={() =>
                writes.complete.mutate(bank, {
                  onSuccess: (r) =>
                    setCompleteNote(
                      r.filled?.length
                        ? `Filled ${r.filled.join(', ')}${r.empty?.length ? `; nothing fitted ${r.empty.join(', ')}` : ''}.`
                        : 'Nothing in the library fits the empty pads of this bank.',
                    ),
                })
              }
            >
              {writes.complete.isPending ? <Spinner /> : <Wand2 size={14} />} Complete this bank
            </button>
          </div>
          {completeNote && (
            <p className="text-xs text-zinc-600 dark:text-zinc-400" role="status">
              {completeNote}
            </p>
          )}
          {swap && (
            <div role="alertdialog" aria-label="Pad is filled" className="flex flex-wrap items-center gap-2 rounded-xl border border-orange-400 p-2 text-sm">
              <span>
                Pad {padLabel(swap.toBank, swap.toPad)} is filled. Swap it with {padLabel(swap.bank, swap.pad)}?
              </span>
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => {
                  writes.movePad.mutate({ bank: swap.bank, pad: swap.pad, body: { to_bank: swap.toBank, to_pad: swap.toPad, swap: true } });
                  setSwap(null);
                }}
              >
                Swap
              </button>
              <button type="button" className="btn" onClick={() => setSwap(null)}>
                Cancel
              </button>
            </div>
          )}
          {/* The form starts from the saved defaults, so it waits for them rather than
              resetting under the user's hands when they arrive. */}
          {prefs.isPending ? (
            <p className="flex items-center gap-2 text-sm text-zinc-500">
              <Spinner /> Loading export defaults…
            </p>
          ) : (
            <ExportPanel kit={kit} prefs={prefs.data} />
          )}
        </section>
        <Inspector kit={kit} bank={bank} padNo={padNo} onChop={(p) => setChop({ id: p.sample_id, name: p.sample_name, bpm: p.bpm, duration: p.duration_s })} />
      </div>
      {chop && <ChopDialog kit={kit} subject={chop} bank={bank} pad={padNo} onClose={() => setChop(null)} onDone={chopped} />}
      <DragOverlay dropAnimation={null}>
        {active ? <div className="rounded-md bg-orange-500 px-2 py-1 text-xs text-white shadow-lg">{active.name}</div> : null}
      </DragOverlay>
    </DndContext>
  );
}

function KitHeader({ kit }: { kit: Kit }) {
  const { patch } = useKitWrites(kit.id);
  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap items-center gap-3">
        <Link to="/kits" className="btn border-transparent" aria-label="All kits">
          <ArrowLeft size={16} />
        </Link>
        <h1 className="text-lg font-semibold">{kit.name}</h1>
        <span className="chip">{kit.device === 'sx' ? 'SP-404SX / A' : 'SP-404MKII'}</span>
        <NumberSetting label="Kit BPM" value={kit.bpm} min={40} max={300} step={0.1} onCommit={(v) => patch.mutate({ bpm: v })} />
        <KitTempoToggle />
        <span className="text-xs text-zinc-500">{kit.pad_count} pads filled</span>
      </div>
      <SpeedStatus />
    </div>
  );
}

export default function KitPage() {
  const id = Number(useParams().id);
  const kit = useKit(id);
  if (kit.isPending)
    return (
      <div className="flex items-center gap-2 p-6 text-sm text-zinc-500">
        <Spinner /> Loading kit…
      </div>
    );
  if (kit.isError)
    return (
      <div className="p-6 text-sm">
        <p className="mb-2">{kit.error instanceof ApiError && kit.error.status === 404 ? 'There is no kit with this id.' : kit.error.message}</p>
        <Link to="/kits" className="text-orange-600 underline">
          Back to the kits
        </Link>
      </div>
    );
  return (
    <div className="flex h-full flex-col gap-3 overflow-auto p-3" data-testid="kit-page">
      <TempoScope bpm={kit.data.bpm}>
        <KitHeader kit={kit.data} />
        <KitEditor kit={kit.data} />
      </TempoScope>
    </div>
  );
}
