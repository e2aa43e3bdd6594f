import type { ReactNode } from 'react';
import { share } from '../lib/usage';

/** A titled card section of a page. */
export function Card({ title, children, className = '' }: { title: string; children: ReactNode; className?: string }) {
  return (
    <section aria-label={title} className={`rounded-xl border border-zinc-200 p-3 dark:border-zinc-800 ${className}`}>
      <h2 className="mb-2 text-sm font-semibold uppercase tracking-wide text-zinc-500">{title}</h2>
      {children}
    </section>
  );
}

/** A labelled bar showing how much of a limit is used (budgets). */
export function Meter({ label, used, limit, text, testId }: { label: string; used: number; limit: number; text: string; testId: string }) {
  const f = share(used, limit);
  return (
    <div className="flex flex-col gap-1" data-testid={testId}>
      <div className="flex justify-between text-sm">
        <span>{label}</span>
        <span className="tabular-nums">{text}</span>
      </div>
      <div className="h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={limit} aria-valuenow={used}>
        <div className={`h-full ${f >= 1 ? 'bg-red-600' : f > 0.8 ? 'bg-amber-500' : 'bg-orange-500'}`} style={{ width: `${f * 100}%` }} />
      </div>
    </div>
  );
}
