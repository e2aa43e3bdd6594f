import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, must } from './client';
import { keys as sampleKeys } from './samples';
import { dashboardKeys } from './dashboard';
import type { components } from './schema';

export const duplicateKeys = { all: ['duplicates'] as const };

export function useDuplicates() {
  return useQuery({
    queryKey: duplicateKeys.all,
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/duplicates', { signal })).items ?? [],
  });
}

/** useResolveDuplicates keeps one sample of a group; the others leave the library. */
export function useResolveDuplicates() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: components['schemas']['ResolveDuplicatesInputBody']) =>
      must(await api.POST('/api/v1/duplicates/resolve', { body })).removed ?? [],
    onSuccess: (removed) => {
      for (const id of removed) {
        qc.removeQueries({ queryKey: sampleKeys.sample(id), exact: true });
        qc.removeQueries({ queryKey: sampleKeys.waveform(id) });
      }
      void qc.invalidateQueries({ queryKey: duplicateKeys.all });
      void qc.invalidateQueries({ queryKey: sampleKeys.lists });
      void qc.invalidateQueries({ queryKey: dashboardKeys.counts });
      // Pads and collection memberships moved onto the kept sample.
      void qc.invalidateQueries({ queryKey: ['sample-kits'] });
      void qc.invalidateQueries({ queryKey: ['kit'] });
      void qc.invalidateQueries({ queryKey: ['similar'] });
    },
  });
}
