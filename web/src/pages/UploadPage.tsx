import { useRef } from 'react';
import { Link } from 'react-router';
import { Check, Copy, FolderOpen, FileAudio, UploadCloud, XCircle } from 'lucide-react';
import { DropZone } from '../upload/DropZone';
import { fromInput, AUDIO_EXTENSIONS } from '../upload/entries';
import { summary, type UploadItem } from '../upload/queue';
import { useUploadQueue } from '../upload/UploadProvider';
import { useToast } from '../components/Toasts';
import { formatBytes } from '../lib/format';
import { Spinner } from '../components/Spinner';

function StatusCell({ item }: { item: UploadItem }) {
  switch (item.status) {
    case 'queued':
      return <span className="text-zinc-500">Waiting</span>;
    case 'uploading':
      return (
        <span className="flex items-center gap-2">
          <span className="h-1.5 w-24 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800">
            <span className="block h-full bg-orange-500" style={{ width: `${Math.round(item.progress * 100)}%` }} />
          </span>
          <span className="tabular-nums text-zinc-500">{Math.round(item.progress * 100)}%</span>
        </span>
      );
    case 'added':
      return (
        <span className="flex items-center gap-1 text-green-700 dark:text-green-400">
          <Check size={14} /> Added
        </span>
      );
    case 'duplicate':
      return (
        <span className="flex items-center gap-1 text-zinc-600 dark:text-zinc-400">
          <Copy size={14} /> Already in the library
        </span>
      );
    case 'rejected':
      return (
        <span className="flex items-start gap-1 text-red-600 dark:text-red-400">
          <XCircle size={14} className="mt-0.5 shrink-0" /> <span>Rejected: {item.detail}</span>
        </span>
      );
  }
}

export default function UploadPage() {
  const { queue, items } = useUploadQueue();
  const toast = useToast();
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const c = summary(items);
  const busy = c.queued + c.uploading > 0;

  const take = (list: FileList | null, isFolder: boolean) => {
    const { files: picked, skipped } = fromInput(list, isFolder);
    if (picked.length) queue.add(picked);
    if (skipped) toast(`Skipped ${skipped} file${skipped === 1 ? '' : 's'} that are not audio.`, 'info');
  };

  return (
    <DropZone className="h-full overflow-auto">
      <div className="mx-auto max-w-4xl space-y-4 p-4">
        <h1 className="text-lg font-semibold">Upload</h1>
        <div className="flex flex-col items-center gap-3 rounded-xl border-2 border-dashed border-zinc-300 p-8 text-center dark:border-zinc-700">
          <UploadCloud size={36} className="text-zinc-400" />
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Drop audio files or folders here. {AUDIO_EXTENSIONS.filter((e) => !['wave', 'aifc', 'oga'].includes(e)).join(', ').toUpperCase()} are
            read; identical files are recognised and not stored twice.
          </p>
          <div className="flex flex-wrap justify-center gap-2">
            <button type="button" className="btn btn-primary" onClick={() => files.current?.click()}>
              <FileAudio size={14} /> Choose files
            </button>
            <button type="button" className="btn" onClick={() => folder.current?.click()}>
              <FolderOpen size={14} /> Choose a folder
            </button>
          </div>
          <input
            ref={files}
            type="file"
            multiple
            accept="audio/*,.wav,.aif,.aiff,.mp3,.flac,.ogg"
            className="hidden"
            data-testid="file-input"
            onChange={(e) => {
              take(e.target.files, false);
              e.target.value = '';
            }}
          />
          <input
            ref={folder}
            type="file"
            className="hidden"
            // webkitdirectory is not in React's typings; it turns the picker into a folder picker.
            {...{ webkitdirectory: '', directory: '' }}
            onChange={(e) => {
              take(e.target.files, true);
              e.target.value = '';
            }}
          />
        </div>

        {items.length > 0 && (
          <section className="space-y-2">
            <div className="flex flex-wrap items-center gap-3 text-sm">
              <span data-testid="upload-summary">
                {items.length} file{items.length === 1 ? '' : 's'}: {c.added} added, {c.duplicate} already there, {c.rejected} rejected
                {busy ? `, ${c.queued + c.uploading} to go` : ''}
              </span>
              {busy && <Spinner size={14} />}
              <div className="ml-auto flex gap-2">
                {busy && (
                  <button type="button" className="btn" onClick={() => queue.cancelAll()}>
                    Cancel
                  </button>
                )}
                {!busy && (
                  <button type="button" className="btn" onClick={() => queue.clearFinished()}>
                    Clear list
                  </button>
                )}
                <Link to="/" className="btn">
                  Go to library
                </Link>
              </div>
            </div>
            <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 text-sm dark:divide-zinc-900 dark:border-zinc-800">
              {items.map((i) => (
                <li key={i.key} className="grid grid-cols-1 gap-1 px-3 py-2 sm:grid-cols-[1fr_5rem_16rem] sm:items-center" data-status={i.status}>
                  <span className="truncate" title={i.path}>
                    {i.sampleId && (i.status === 'added' || i.status === 'duplicate') ? (
                      <Link className="hover:underline" to={`/samples/${i.sampleId}`}>{i.path}</Link>
                    ) : (
                      i.path
                    )}
                  </span>
                  <span className="text-zinc-500 tabular-nums sm:text-right">{formatBytes(i.file.size)}</span>
                  <StatusCell item={i} />
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </DropZone>
  );
}
