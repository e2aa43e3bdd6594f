import { useRef, useState, type ReactNode } from 'react';
import { UploadCloud } from 'lucide-react';
import { collectDropped } from './entries';
import { useUploadQueue } from './UploadProvider';
import { useToast } from '../components/Toasts';

const hasFiles = (e: React.DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/** DropZone accepts files and folders dropped anywhere on its area and queues them for upload. */
export function DropZone({ children, className = '' }: { children: ReactNode; className?: string }) {
  const { queue } = useUploadQueue();
  const toast = useToast();
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  return (
    <div
      className={`relative ${className}`}
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current++;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        void collectDropped(e.dataTransfer).then(({ files, skipped }) => {
          if (files.length) queue.add(files);
          if (skipped) toast(`Skipped ${skipped} file${skipped === 1 ? '' : 's'} that are not audio.`, 'info');
          else if (!files.length) toast('Nothing to upload in what was dropped.', 'info');
        });
      }}
    >
      {children}
      {over && (
        <div className="pointer-events-none absolute inset-2 z-30 flex flex-col items-center justify-center rounded-xl border-2 border-dashed border-orange-500 bg-orange-50/90 text-orange-700 dark:bg-orange-950/80 dark:text-orange-200">
          <UploadCloud size={40} />
          <p className="mt-2 font-medium">Drop audio files or folders to add them</p>
        </div>
      )}
    </div>
  );
}
