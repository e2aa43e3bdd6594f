import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, must, type Peaks, type Sample, type SampleList, type SamplePatch } from './client';
import type { components } from './schema';
import type { ListQuery } from '../lib/filters';
import { Batcher } from '../lib/batcher';

export const PAGE_SIZE = 100;

export const keys = {
  lists: ['samples', 'list'] as const,
  list: (q: ListQuery, page: number) => ['samples', 'list', q, page] as const,
  sample: (id: number) => ['sample', id] as const,
  waveform: (id: number) => ['waveform', id] as const,
  /** the list row's coarse peaks; under `waveform(id)` so re-analysis and delete drop both */
  rowWaveform: (id: number) => ['waveform', id, 'coarse'] as const,
};

export const isBusy = (s: Pick<Sample, 'analysis_state'>) =>
  s.analysis_state === 'pending' || s.analysis_state === 'analyzing';

export async function fetchPage(q: ListQuery, page: number, signal?: AbortSignal): Promise<SampleList> {
  return must(
    await api.GET('/api/v1/samples', { params: { query: { ...q, page, limit: PAGE_SIZE } }, signal }),
  );
}

export async function fetchSample(id: number, signal?: AbortSignal): Promise<Sample> {
  return must(await api.GET('/api/v1/samples/{id}', { params: { path: { id } }, signal }));
}

/** fetchWaveform loads a sample's peaks at both resolutions (the detail page, the chop dialog). */
export async function fetchWaveform(id: number, signal?: AbortSignal): Promise<Peaks> {
  return must(await api.GET('/api/v1/samples/{id}/waveform', { params: { path: { id } }, signal }));
}

/** fetchRowWaveforms loads the coarse peaks of many samples in one request (ids sorted, so a repeat hits the HTTP cache). */
export async function fetchRowWaveforms(ids: number[]): Promise<Map<number, number[]>> {
  const sorted = [...ids].sort((a, b) => a - b);
  const r = must(await api.GET('/api/v1/waveforms', { params: { query: { ids: sorted } } }));
  return new Map((r.items ?? []).map((w) => [w.id, w.coarse ?? []]));
}

// The rows that settle on screen together share one request (at most 200 ids, the API's limit).
const rowWaveforms = new Batcher<number, number[]>(fetchRowWaveforms, { wait: 20, maxWait: 100, max: 200 });

/** putSample writes a fresh copy of a sample into every cached list page and its own entry. */
export function putSample(qc: QueryClient, s: Sample) {
  qc.setQueryData(keys.sample(s.id), s);
  qc.setQueriesData<SampleList>({ queryKey: keys.lists }, (old) => {
    if (!old?.items?.some((x) => x.id === s.id)) return old;
    return { ...old, items: old.items.map((x) => (x.id === s.id ? s : x)) };
  });
}

/** useSample loads one sample, polling while its analysis is pending or running. */
export function useSample(id: number, opts: { enabled?: boolean; initial?: Sample } = {}) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: keys.sample(id),
    queryFn: async ({ signal }) => {
      const s = await fetchSample(id, signal);
      putSample(qc, s);
      return s;
    },
    enabled: opts.enabled ?? true,
    initialData: opts.initial,
    initialDataUpdatedAt: 0,
    refetchInterval: (q) => (q.state.data && isBusy(q.state.data) ? 1500 : false),
    meta: { notFoundShown: true },
  });
}

/** useWaveform loads peaks once per sample; they only change on re-analysis. */
export function useWaveform(id: number, enabled: boolean) {
  return useQuery({
    queryKey: keys.waveform(id),
    queryFn: ({ signal }) => fetchWaveform(id, signal),
    enabled,
    staleTime: Infinity,
    gcTime: 10 * 60_000,
    retry: false,
    meta: { silent: true },
  });
}

/**
 * useRowWaveform loads a list row's coarse peaks through the batcher; once loaded they are kept
 * (no refetch when the row scrolls back). Peaks already loaded by the detail page are used as is.
 * The load is not cancelled when the row leaves the screen: the answer is cached for its return.
 */
export function useRowWaveform(id: number, enabled: boolean) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: keys.rowWaveform(id),
    queryFn: () => rowWaveforms.load(id),
    enabled,
    initialData: () => qc.getQueryData<Peaks>(keys.waveform(id))?.coarse ?? undefined,
    staleTime: Infinity,
    gcTime: 10 * 60_000,
    retry: false,
    meta: { silent: true },
  });
}

export function usePatchSample() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, patch }: { id: number; patch: SamplePatch }) =>
      must(await api.PATCH('/api/v1/samples/{id}', { params: { path: { id } }, body: patch })),
    onSuccess: (s) => putSample(qc, s),
  });
}

/** MAX_BULK is how many samples one bulk request may name (the server's limit). */
export const MAX_BULK = 1000;

/** useBulkEdit tags, favourites or rates many samples in one request. */
export function useBulkEdit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: components['schemas']['BulkEdit']) => must(await api.POST('/api/v1/samples/bulk', { body })).updated,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.lists });
      void qc.invalidateQueries({ queryKey: ['sample'] });
    },
  });
}

export function useReanalyze() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: number) =>
      must(await api.POST('/api/v1/samples/{id}/analyze', { params: { path: { id } } })),
    onSuccess: (s) => {
      qc.removeQueries({ queryKey: keys.waveform(s.id) });
      putSample(qc, s);
    },
  });
}

export function useDeleteSample() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: number) => {
      const r = await api.DELETE('/api/v1/samples/{id}', { params: { path: { id } } });
      if (!r.response.ok) must(r);
      return id;
    },
    onSuccess: (id) => {
      // Drop it from cached pages first, so no row asks the server about it again.
      qc.setQueriesData<SampleList>({ queryKey: keys.lists }, (old) => {
        if (!old?.items?.some((x) => x.id === id)) return old;
        return { ...old, items: old.items.filter((x) => x.id !== id), total: old.total - 1 };
      });
      qc.removeQueries({ queryKey: keys.sample(id) });
      qc.removeQueries({ queryKey: keys.waveform(id) });
      void qc.invalidateQueries({ queryKey: keys.lists });
    },
  });
}
