import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { Grid3x3, Star, StarOff, Tag, X } from 'lucide-react';
import { useBulkEdit } from '../../api/samples';
import { useCollections, useCollectionWrites } from '../../api/collections';
import { useAddToKit, useBuildKit, useKits } from '../../api/kits';
import { useToast } from '../../components/Toasts';
import { Spinner } from '../../components/Spinner';
import type { Marks } from '../../lib/marks';

const plural = (n: number, one: string) => `${n.toLocaleString()} ${one}${n === 1 ? '' : 's'}`;

/**
 * BulkBar acts on the ticked samples: favourite or unfavourite them, add a tag, put them in a
 * manual collection, put them on an existing kit's free pads, or lay them out on a new kit
 * (drums on their conventional pads). Errors reach the app's toasts through the mutations.
 */
export function BulkBar({ marks, onClear }: { marks: Marks; onClear: () => void }) {
  const toast = useToast();
  const navigate = useNavigate();
  const bulk = useBulkEdit();
  const collections = useCollections();
  const { addSamples } = useCollectionWrites();
  const build = useBuildKit();
  const kits = useKits();
  const addToKit = useAddToKit();
  const ids = [...marks];
  const n = ids.length;
  const busy = bulk.isPending || addSamples.isPending || build.isPending || addToKit.isPending;
  const manual = (collections.data ?? []).filter((c) => c.kind === 'manual');

  const edit = (body: { favorite?: boolean; add_tags?: string[] }, done: string) =>
    bulk.mutate({ sample_ids: ids, ...body }, { onSuccess: (k) => toast(`${done} ${plural(k, 'sample')}.`, 'info') });
  const addTag = (t: string, clear: () => void) => {
    edit({ add_tags: [t] }, `Tagged “${t}” on`);
    clear();
  };
  const toCollection = (id: number) => {
    const c = manual.find((m) => m.id === id);
    addSamples.mutate({ id, ids }, { onSuccess: () => toast(`Added ${plural(n, 'sample')} to “${c?.name ?? 'the collection'}”.`, 'info') });
  };
  const toKit = (kitId: number) => {
    const name = kits.data?.items?.find((k) => k.id === kitId)?.name ?? 'the kit';
    addToKit.mutate(
      { kitId, sampleIds: ids },
      {
        onSuccess: ({ placed, left }) =>
          toast(`Put ${plural(placed, 'sample')} on free pads of “${name}”${left ? `; ${left} did not fit` : ''}.`, left ? 'error' : 'info'),
      },
    );
  };
  const newKit = (name: string, clear: () => void) => {
    build.mutate(
      { name, sample_ids: ids },
      {
        onSuccess: (r) => {
          const left = r.not_placed?.length ?? 0;
          if (left) toast(`${plural(left, 'sample')} did not fit on the kit's pads.`, 'info');
          clear();
          navigate(`/kits/${r.kit.id}`);
        },
      },
    );
  };

  return (
    <div role="toolbar" aria-label="Selected samples" className="flex flex-wrap items-center gap-2 rounded-lg bg-orange-50 px-2 py-1.5 text-sm dark:bg-orange-950/40">
      <span className="font-medium" data-testid="marked-count">
        {plural(n, 'sample')} selected
      </span>
      {busy && <Spinner size={14} />}
      <button type="button" className="btn" disabled={busy} onClick={() => edit({ favorite: true }, 'Favourited')}>
        <Star size={14} /> Favourite
      </button>
      <button type="button" className="btn" disabled={busy} onClick={() => edit({ favorite: false }, 'Unfavourited')}>
        <StarOff size={14} /> Unfavourite
      </button>
      <TextAction label="Tag for the selected samples" placeholder="tag" width="w-28" disabled={busy} onSubmit={addTag}>
        <Tag size={14} /> Add tag
      </TextAction>
      <PickAction label="Add the selected samples to a collection" prompt="Add to collection…" empty="No manual collections" items={manual} disabled={busy} onPick={toCollection} />
      <PickAction label="Add the selected samples to a kit" prompt="Add to kit…" empty="No kits yet" items={kits.data?.items ?? []} disabled={busy} onPick={toKit} />
      <TextAction label="Name of a new kit from the selected samples" placeholder="new kit name" width="w-36" disabled={busy} onSubmit={newKit}>
        <Grid3x3 size={14} /> Build kit
      </TextAction>
      <button type="button" className="btn ml-auto border-transparent" onClick={onClear}>
        <X size={14} /> Clear selection
      </button>
    </div>
  );
}

/** TextAction is a field and a button that act on its trimmed text (names and tags: 64 characters). */
function TextAction(props: {
  label: string;
  placeholder: string;
  width: string;
  disabled: boolean;
  onSubmit: (text: string, clear: () => void) => void;
  children: ReactNode;
}) {
  const [text, setText] = useState('');
  return (
    <form
      className="flex items-center gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) props.onSubmit(text.trim(), () => setText(''));
      }}
    >
      <input aria-label={props.label} placeholder={props.placeholder} className={props.width} maxLength={64} value={text} onChange={(e) => setText(e.target.value)} />
      <button type="submit" className="btn" disabled={props.disabled || !text.trim()}>
        {props.children}
      </button>
    </form>
  );
}

/** PickAction is a menu whose choice is an action: it acts on the item picked and shows the prompt again. */
function PickAction(props: {
  label: string;
  prompt: string;
  empty: string;
  items: Array<{ id: number; name: string }>;
  disabled: boolean;
  onPick: (id: number) => void;
}) {
  const { items } = props;
  return (
    <select
      aria-label={props.label}
      className="max-w-44"
      value=""
      disabled={props.disabled || items.length === 0}
      onChange={(e) => e.target.value && props.onPick(Number(e.target.value))}
    >
      <option value="">{items.length ? props.prompt : props.empty}</option>
      {items.map((it) => (
        <option key={it.id} value={it.id}>
          {it.name}
        </option>
      ))}
    </select>
  );
}
