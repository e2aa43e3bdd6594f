import { AlertTriangle, Loader2 } from 'lucide-react';
import type { Sample } from '../api/client';

export function Spinner({ size = 16, label }: { size?: number; label?: string }) {
  return <Loader2 size={size} className="animate-spin text-zinc-400" aria-label={label ?? 'Loading'} />;
}

/** AnalysisState shows a spinner while a sample waits for or runs analysis, and a warning with the
 * error (on hover) when analysis failed. Done shows nothing. */
export function AnalysisState({ sample }: { sample: Pick<Sample, 'analysis_state' | 'analysis_error'> }) {
  switch (sample.analysis_state) {
    case 'pending':
      return (
        <span title="Waiting for analysis" data-state="pending" className="inline-flex">
          <Loader2 size={14} className="animate-spin text-zinc-400" aria-label="Waiting for analysis" />
        </span>
      );
    case 'analyzing':
      return (
        <span title="Analysing…" data-state="analyzing" className="inline-flex">
          <Loader2 size={14} className="animate-spin text-orange-500" aria-label="Analysing" />
        </span>
      );
    case 'failed':
      return (
        <span title={`Analysis failed: ${sample.analysis_error || 'unknown error'}`} data-state="failed" className="inline-flex">
          <AlertTriangle size={14} className="text-red-500" aria-label={`Analysis failed: ${sample.analysis_error || 'unknown error'}`} />
        </span>
      );
    default:
      return null;
  }
}
