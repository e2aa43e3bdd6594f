import { useState, type FormEvent } from 'react';
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
  const [tag, setTag] = useState('');
  const [kitName, setKitName] = useState('');
  const ids = [...marks];
  const n = ids.length;
  const busy = bulk.isPending || addSamples.isPending || build.isPending || addToKit.isPending;
  const manual = (collections.data ?? []).filter((c) => c.kind === 'manual');

  const edit = (body: { favorite?: boolean; add_tags?: string[] }, done: string) =>
    bulk.mutate({ sample_ids: ids, ...body }, { onSuccess: (k) => toast(`${done} ${plural(k, 'sample')}.`, 'info') });
  const addTag = (e: FormEvent) => {
    e.preventDefault();
    const t = tag.trim();
    if (!t) return;
    edit({ add_tags: [t] }, `Tagged “${t}” on`);
    setTag('');
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
  const newKit = (e: FormEvent) => {
    e.preventDefault();
    const name = kitName.trim();
    if (!name) return;
    build.mutate(
      { name, sample_ids: ids },
      {
        onSuccess: (r) => {
          const left = r.not_placed?.length ?? 0;
          if (left) toast(`${plural(left, 'sample')} did not fit on the kit's pads.`, 'info');
          setKitName('');
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
      <form className="flex items-center gap-1" onSubmit={addTag}>
        <input aria-label="Tag for the selected samples" placeholder="tag" className="w-28" maxLength={64} value={tag} onChange={(e) => setTag(e.target.value)} />
        <button type="submit" className="btn" disabled={busy || !tag.trim()}>
          <Tag size={14} /> Add tag
        </button>
      </form>
      <select
        aria-label="Add the selected samples to a collection"
        className="max-w-44"
        value=""
        disabled={busy || manual.length === 0}
        onChange={(e) => e.target.value && toCollection(Number(e.target.value))}
      >
        <option value="">{manual.length ? 'Add to collection…' : 'No manual collections'}</option>
        {manual.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <select
        aria-label="Add the selected samples to a kit"
        className="max-w-44"
        value=""
        disabled={busy || !kits.data?.items?.length}
        onChange={(e) => e.target.value && toKit(Number(e.target.value))}
      >
        <option value="">{kits.data?.items?.length ? 'Add to kit…' : 'No kits yet'}</option>
        {(kits.data?.items ?? []).map((k) => (
          <option key={k.id} value={k.id}>
            {k.name}
          </option>
        ))}
      </select>
      <form className="flex items-center gap-1" onSubmit={newKit}>
        <input aria-label="Name of a new kit from the selected samples" placeholder="new kit name" className="w-36" maxLength={64} value={kitName} onChange={(e) => setKitName(e.target.value)} />
        <button type="submit" className="btn" disabled={busy || !kitName.trim()}>
          <Grid3x3 size={14} /> Build kit
        </button>
      </form>
      <button type="button" className="btn ml-auto border-transparent" onClick={onClear}>
        <X size={14} /> Clear selection
      </button>
    </div>
  );
}
