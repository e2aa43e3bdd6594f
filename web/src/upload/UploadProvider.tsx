import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { UploadQueue } from './queue';
import { keys } from '../api/samples';

const Ctx = createContext<UploadQueue | null>(null);

/** UploadProvider keeps one upload queue for the app, so uploads go on while you browse. */
export function UploadProvider({ children, queue: given }: { children: ReactNode; queue?: UploadQueue }) {
  const [queue] = useState(() => given ?? new UploadQueue());
  const qc = useQueryClient();
  useEffect(() => {
    // Refresh the library as files land, at most twice a second.
    let timer: ReturnType<typeof setTimeout> | undefined;
    queue.onSettled = (item) => {
      if (item.status !== 'added' || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void qc.invalidateQueries({ queryKey: keys.lists });
      }, 500);
    };
    return () => {
      queue.onSettled = undefined;
      if (timer) clearTimeout(timer);
    };
  }, [queue, qc]);
  return <Ctx.Provider value={queue}>{children}</Ctx.Provider>;
}

export function useUploadQueue() {
  const q = useContext(Ctx);
  if (!q) throw new Error('useUploadQueue needs an UploadProvider');
  const items = useSyncExternalStore(q.subscribe, q.getItems);
  return { queue: q, items };
}
