import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, must } from './client';
import { keys as sampleKeys } from './samples';
import type { components } from './schema';
import { emptyPads } from '../lib/pads';

export type Kit = components['schemas']['Kit'];
export type KitInput = components['schemas']['KitInput'];
export type KitPatch = components['schemas']['KitPatch'];
export type Pad = components['schemas']['Pad'];
export type PadSettings = components['schemas']['PadSettings'];
export type Recommendation = components['schemas']['Recommendation'];
export type Export = components['schemas']['Export'];
export type ExportPlan = components['schemas']['PlanResult'];
export type ChopInput = components['schemas']['ChopInput'];

export const kitKeys = {
  list: ['kits', 'list'] as const,
  kit: (id: number) => ['kit', id] as const,
  recs: (id: number, bank: string, pad: number) => ['kit', id, 'recs', bank, pad] as const,
  exp: (id: number) => ['export', id] as const,
};

export function useKits(enabled = true) {
  return useQuery({
    queryKey: kitKeys.list,
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/kits', { params: { query: { limit: 200 } }, signal })),
    enabled,
  });
}

export function useKit(id: number) {
  return useQuery({
    queryKey: kitKeys.kit(id),
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/kits/{id}', { params: { path: { id } }, signal })),
    meta: { notFoundShown: true },
  });
}

export function useCreateKit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: KitInput) => must(await api.POST('/api/v1/kits', { body })),
    onSuccess: (k) => {
      qc.setQueryData(kitKeys.kit(k.id), k);
      void qc.invalidateQueries({ queryKey: kitKeys.list });
    },
  });
}

/** useBuildKit lays samples out on a new kit's pads by category (POST /api/v1/kits/build). */
export function useBuildKit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: components['schemas']['BuildKitInput']) => must(await api.POST('/api/v1/kits/build', { body })),
    onSuccess: (r) => {
      qc.setQueryData(kitKeys.kit(r.kit.id), r.kit);
      void qc.invalidateQueries({ queryKey: kitKeys.list });
      void qc.invalidateQueries({ queryKey: ['sample-kits'] });
    },
  });
}

/**
 * useAddToKit puts samples on a kit's free pads in order (A1, A2, …), one pad request each, and
 * answers how many found a pad.
 */
export function useAddToKit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ kitId, sampleIds }: { kitId: number; sampleIds: number[] }) => {
      const kit = must(await api.GET('/api/v1/kits/{id}', { params: { path: { id: kitId } } }));
      const free = emptyPads(kit.device, kit.pads ?? []);
      const placed = Math.min(free.length, sampleIds.length);
      let last = kit;
      for (let i = 0; i < placed; i++) {
        const { bank, pad } = free[i];
        last = must(await api.PUT('/api/v1/kits/{id}/pads/{bank}/{pad}', { params: { path: { id: kitId, bank, pad } }, body: { sample_id: sampleIds[i] } }));
      }
      return { kit: last, placed, left: sampleIds.length - placed };
    },
    onSettled: (_r, _e, v) => {
      void qc.invalidateQueries({ queryKey: kitKeys.kit(v.kitId) });
      void qc.invalidateQueries({ queryKey: kitKeys.list });
      void qc.invalidateQueries({ queryKey: ['sample-kits'] });
    },
  });
}

export function useDeleteKit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: number) => {
      const r = await api.DELETE('/api/v1/kits/{id}', { params: { path: { id } } });
      if (!r.response.ok) must(r);
      return id;
    },
    onSuccess: (id) => {
      qc.removeQueries({ queryKey: kitKeys.kit(id) });
      void qc.invalidateQueries({ queryKey: kitKeys.list });
      void qc.invalidateQueries({ queryKey: ['sample-kits'] });
    },
  });
}

/** useKitWrites are the writes of the kit editor; each answers with the whole kit, cached at once. */
export function useKitWrites(id: number) {
  const qc = useQueryClient();
  const put = (k: Kit) => {
    qc.setQueryData(kitKeys.kit(id), k);
    void qc.invalidateQueries({ queryKey: kitKeys.list });
    void qc.invalidateQueries({ queryKey: ['kit', id, 'recs'] });
    // The sample pages' "Used in kits" (src/api/sampleExtras.ts).
    void qc.invalidateQueries({ queryKey: ['sample-kits'] });
  };
  const patch = useMutation({
    mutationFn: async (body: KitPatch) => must(await api.PATCH('/api/v1/kits/{id}', { params: { path: { id } }, body })),
    onSuccess: put,
  });
  const setPad = useMutation({
    mutationFn: async (v: { bank: string; pad: number; body: components['schemas']['PadInput'] }) =>
      must(await api.PUT('/api/v1/kits/{id}/pads/{bank}/{pad}', { params: { path: { id, bank: v.bank, pad: v.pad } }, body: v.body })),
    onSuccess: put,
  });
  const clearPad = useMutation({
    mutationFn: async (v: { bank: string; pad: number }) =>
      must(await api.DELETE('/api/v1/kits/{id}/pads/{bank}/{pad}', { params: { path: { id, bank: v.bank, pad: v.pad } } })),
    onSuccess: put,
  });
  const movePad = useMutation({
    mutationFn: async (v: { bank: string; pad: number; body: components['schemas']['MovePadInputBody'] }) =>
      must(await api.POST('/api/v1/kits/{id}/pads/{bank}/{pad}/move', { params: { path: { id, bank: v.bank, pad: v.pad } }, body: v.body })),
    onSuccess: put,
    // A filled target (409) is answered with a swap offer, not a toast.
    meta: { silent: true },
  });
  const complete = useMutation({
    mutationFn: async (bank: string) => must(await api.POST('/api/v1/kits/{id}/complete', { params: { path: { id } }, body: { bank } })),
    onSuccess: (r) => put(r.kit),
  });
  const chop = useMutation({
    mutationFn: async (v: { sampleId: number; body: ChopInput }) =>
      must(await api.POST('/api/v1/samples/{id}/chop', { params: { path: { id: v.sampleId } }, body: v.body })),
    onSuccess: (k) => {
      put(k);
      // One slice per pad is a new sample in the library.
      void qc.invalidateQueries({ queryKey: sampleKeys.lists });
    },
    // The chop dialog shows its errors next to the button that caused them.
    meta: { silent: true },
  });
  return { patch, setPad, clearPad, movePad, complete, chop };
}

/**
 * useChopPoints asks where a chop would cut (slice starts in frames). The answer only changes when
 * the sample is analysed again, so it is kept while the dialog is open.
 */
export function useChopPoints(sampleId: number, mode: ChopInput['mode'], slices: number, enabled: boolean) {
  return useQuery({
    queryKey: ['chop-points', sampleId, mode, slices],
    queryFn: async ({ signal }) =>
      must(await api.GET('/api/v1/samples/{id}/chop', { params: { path: { id: sampleId }, query: { mode, slices } }, signal })),
    enabled,
    staleTime: 5 * 60_000,
    retry: false,
    placeholderData: (prev, q) => (q?.queryKey[1] === sampleId ? prev : undefined),
    // Shown in the dialog (e.g. too few onsets), not as a toast.
    meta: { silent: true },
  });
}

/** useRecommendations suggests samples for a pad; role '' lets the server use the pad's default role. */
export function useRecommendations(id: number, bank: string, pad: number, role: string, enabled: boolean) {
  return useQuery({
    queryKey: [...kitKeys.recs(id, bank, pad), role],
    queryFn: async ({ signal }) =>
      must(await api.GET('/api/v1/kits/{id}/recommendations', { params: { path: { id }, query: { bank, pad, limit: 8, ...(role ? { role } : {}) } }, signal })).items ?? [],
    enabled,
  });
}

export async function startExport(id: number, body: components['schemas']['ExportRequest']) {
  return must(await api.POST('/api/v1/kits/{id}/export', { params: { path: { id } }, body }));
}

/** useExport polls an export until it is done or failed. */
export function useExport(exportId: number | null) {
  return useQuery({
    queryKey: kitKeys.exp(exportId ?? 0),
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/exports/{id}', { params: { path: { id: exportId! } }, signal })),
    enabled: exportId !== null,
    refetchInterval: (q) => (q.state.data && (q.state.data.state === 'done' || q.state.data.state === 'failed') ? false : 500),
    staleTime: 0,
  });
}

export const exportDownloadUrl = (id: number) => `/api/v1/exports/${id}/download`;
