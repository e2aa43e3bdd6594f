import { Link } from 'react-router';
import { summary } from './queue';
import { useUploadQueue } from './UploadProvider';

/** UploadStrip is a one-line progress summary shown on the library while files upload. */
export function UploadStrip() {
  const { items } = useUploadQueue();
  const c = summary(items);
  if (items.length === 0) return null;
  const done = c.added + c.duplicate + c.rejected;
  const pct = Math.round((done / items.length) * 100);
  return (
    <div className="flex items-center gap-3 text-sm" role="status">
      <div className="h-1.5 w-32 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800">
        <div className="h-full bg-orange-500 transition-all" style={{ width: `${pct}%` }} />
      </div>
      <span className="text-zinc-600 dark:text-zinc-400">
        {done < items.length ? `Uploading ${done} of ${items.length}` : `Uploaded ${items.length}`} · {c.added} added
        {c.duplicate ? `, ${c.duplicate} already there` : ''}
        {c.rejected ? `, ${c.rejected} rejected` : ''}
      </span>
      <Link to="/upload" className="text-orange-600 underline">Details</Link>
    </div>
  );
}
