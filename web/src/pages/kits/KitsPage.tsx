import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Plus, Trash2 } from 'lucide-react';
import { useCreateKit, useDeleteKit, useKits, type Kit } from '../../api/kits';
import { Spinner } from '../../components/Spinner';
import { padsPerBank, BANKS, type Device } from '../../lib/pads';

function CreateKit() {
  const [name, setName] = useState('');
  const [device, setDevice] = useState<Device>('mk2');
  const [bpm, setBpm] = useState('90');
  const create = useCreateKit();
  const navigate = useNavigate();
  const bpmValue = Number(bpm);
  const bpmOk = bpm.trim() !== '' && Number.isFinite(bpmValue) && bpmValue >= 40 && bpmValue <= 300;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || !bpmOk) return;
    create.mutate({ name: name.trim(), device, bpm: bpmValue }, { onSuccess: (k) => navigate(`/kits/${k.id}`) });
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-2 rounded-xl border border-zinc-200 p-3 dark:border-zinc-800" aria-label="New kit">
      <label className="flex flex-col gap-1 text-xs text-zinc-500">
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Dusty drums" required maxLength={64} />
      </label>
      <label className="flex flex-col gap-1 text-xs text-zinc-500">
        Device
        <select value={device} onChange={(e) => setDevice(e.target.value as Device)}>
          <option value="mk2">SP-404MKII (16 pads)</option>
          <option value="sx">SP-404SX / A (12 pads)</option>
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs text-zinc-500">
        BPM
        <input type="number" className="w-20" min={40} max={300} step="0.1" value={bpm} onChange={(e) => setBpm(e.target.value)} aria-invalid={!bpmOk} />
      </label>
      <button type="submit" className="btn btn-primary" disabled={!name.trim() || !bpmOk || create.isPending}>
        <Plus size={16} /> Create kit
      </button>
      {!bpmOk && <span className="text-xs text-red-600">BPM is 40 to 300.</span>}
    </form>
  );
}

function KitRow({ kit }: { kit: Kit }) {
  const del = useDeleteKit();
  const [asking, setAsking] = useState(false);
  const slots = padsPerBank(kit.device) * BANKS.length;
  return (
    <li className="flex items-center gap-3 border-b border-zinc-100 py-2 text-sm dark:border-zinc-900" data-kit-id={kit.id}>
      <Link to={`/kits/${kit.id}`} className="min-w-0 flex-1 truncate font-medium hover:underline">
        {kit.name}
      </Link>
      <span className="chip">{kit.device === 'sx' ? 'SX' : 'MKII'}</span>
      <span className="w-20 text-right tabular-nums text-zinc-500">{kit.bpm} BPM</span>
      <span className="w-24 text-right tabular-nums text-zinc-500">
        {kit.pad_count}/{slots} pads
      </span>
      {asking ? (
        <span className="flex items-center gap-1">
          <span className="text-xs">Delete “{kit.name}”?</span>
          <button type="button" className="btn btn-danger" disabled={del.isPending} onClick={() => del.mutate(kit.id)}>
            Delete
          </button>
          <button type="button" className="btn" onClick={() => setAsking(false)}>
            Keep
          </button>
        </span>
      ) : (
        <button type="button" className="btn border-transparent" aria-label={`Delete kit ${kit.name}`} onClick={() => setAsking(true)}>
          <Trash2 size={16} />
        </button>
      )}
    </li>
  );
}

export default function KitsPage() {
  const kits = useKits();
  const items = kits.data?.items ?? [];
  return (
    <div className="mx-auto flex h-full max-w-4xl flex-col gap-4 overflow-auto p-4">
      <h1 className="text-lg font-semibold">Kits</h1>
      <CreateKit />
      {kits.isPending ? (
        <div className="flex items-center gap-2 text-sm text-zinc-500">
          <Spinner /> Loading kits…
        </div>
      ) : items.length === 0 ? (
        <p className="text-sm text-zinc-500">No kits yet. Name one above, then drag samples onto its pads.</p>
      ) : (
        <ul aria-label="Kits">
          {items.map((k) => (
            <KitRow key={k.id} kit={k} />
          ))}
        </ul>
      )}
    </div>
  );
}
