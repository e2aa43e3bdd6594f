import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { X } from 'lucide-react';

export type ToastKind = 'error' | 'info';
interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

const Ctx = createContext<(text: string, kind?: ToastKind) => void>(() => {});

/** ToastProvider shows short messages in a corner; errors stay longer than notices. */
/** ToastBus lets code outside React (the query cache's error hooks) raise toasts. */
export interface ToastBus {
  push: (text: string, kind?: ToastKind) => void;
}

export function ToastProvider({ children, bus }: { children: ReactNode; bus?: ToastBus }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const seq = useRef(0);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (text: string, kind: ToastKind = 'error') => {
      const id = ++seq.current;
      // The same message twice in a row (a burst of failures) shows once.
      setToasts((ts) => (ts.some((t) => t.text === text) ? ts : [...ts.slice(-3), { id, kind, text }]));
      setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 4000);
    },
    [dismiss],
  );
  useEffect(() => {
    if (!bus) return;
    bus.push = push;
    return () => {
      bus.push = () => {};
    };
  }, [bus, push]);
  return (
    <Ctx.Provider value={push}>
      {children}
      <div className="pointer-events-none fixed inset-x-0 bottom-3 z-50 flex flex-col items-center gap-2 px-3 sm:items-end" aria-live="polite">
        {toasts.map((t) => (
          <div
            key={t.id}
            role={t.kind === 'error' ? 'alert' : 'status'}
            className={`pointer-events-auto flex max-w-md items-start gap-2 rounded-lg px-3 py-2 text-sm shadow-lg ${
              t.kind === 'error' ? 'bg-red-600 text-white' : 'bg-zinc-800 text-zinc-50 dark:bg-zinc-200 dark:text-zinc-900'
            }`}
          >
            <span className="flex-1">{t.text}</span>
            <button aria-label="Dismiss" onClick={() => dismiss(t.id)} className="opacity-80 hover:opacity-100">
              <X size={16} />
            </button>
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}

export const useToast = () => useContext(Ctx);
