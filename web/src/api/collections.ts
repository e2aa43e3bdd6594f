import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, must } from './client';
import type { components } from './schema';
import type { Rules } from '../lib/collections';

export const colKeys = {
  all: ['collections'] as const,
  list: ['collections', 'list'] as const,
  samples: (id: number) => ['collections', 'samples', id] as const,
  count: (r: Rules) => ['collections', 'count', r] as const,
};

export function useCollections() {
  return useQuery({
    queryKey: colKeys.list,
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/collections', { params: { query: { limit: 500 } }, signal })).items ?? [],
  });
}

export function useCollectionSamples(id: number) {
  return useQuery({
    queryKey: colKeys.samples(id),
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/collections/{id}/samples', { params: { path: { id }, query: { limit: 100, sort: 'name' } }, signal })),
  });
}

/** useRulesCount asks how many samples rules match (the smart editor's live count). */
export function useRulesCount(rules: Rules, enabled: boolean) {
  return useQuery({
    queryKey: colKeys.count(rules),
    queryFn: async ({ signal }) => must(await api.POST('/api/v1/collections/count', { body: rules, signal })).total,
    enabled,
    placeholderData: (prev) => prev,
    staleTime: 5_000,
  });
}

export function useCollectionWrites() {
  const qc = useQueryClient();
  const refresh = () => void qc.invalidateQueries({ queryKey: colKeys.all });
  const create = useMutation({
    mutationFn: async (body: components['schemas']['CollectionInput']) => must(await api.POST('/api/v1/collections', { body })),
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: async ({ id, body }: { id: number; body: components['schemas']['CollectionPatch'] }) =>
      must(await api.PATCH('/api/v1/collections/{id}', { params: { path: { id } }, body })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: async (id: number) => {
      const r = await api.DELETE('/api/v1/collections/{id}', { params: { path: { id } } });
      if (!r.response.ok) must(r);
      return id;
    },
    onSuccess: refresh,
  });
  const addSamples = useMutation({
    mutationFn: async ({ id, ids }: { id: number; ids: number[] }) =>
      must(await api.POST('/api/v1/collections/{id}/samples', { params: { path: { id } }, body: { sample_ids: ids } })),
    onSuccess: refresh,
  });
  const removeSamples = useMutation({
    mutationFn: async ({ id, ids }: { id: number; ids: number[] }) =>
      must(await api.DELETE('/api/v1/collections/{id}/samples', { params: { path: { id }, query: { sample_id: ids } } })),
    onSuccess: refresh,
  });
  return { create, update, remove, addSamples, removeSamples };
}
