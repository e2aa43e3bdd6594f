import { useQuery } from '@tanstack/react-query';
import { api, must } from './client';
import { collectCounts, facets } from '../lib/dashboard';
import { Semaphore } from '../lib/semaphore';

export const dashboardKeys = {
  counts: ['dashboard', 'counts'] as const,
  batches: ['dashboard', 'batches'] as const,
  storage: ['dashboard', 'storage'] as const,
  budget: ['usage', 'budget'] as const,
};

/**
 * useLibraryCounts asks for one-row pages (limit=1) with each facet's filter and keeps their
 * totals, four requests at a time, so a large library costs no more than an empty one.
 */
export function useLibraryCounts() {
  return useQuery({
    queryKey: dashboardKeys.counts,
    queryFn: async ({ signal }) => {
      const slots = new Semaphore(4);
      const results = await Promise.all(
        facets().map(async (facet) => {
          const release = await slots.acquire(signal);
          try {
            const page = must(await api.GET('/api/v1/samples', { params: { query: { ...facet.query, limit: 1 } }, signal }));
            return { facet, total: page.total };
          } finally {
            release();
          }
        }),
      );
      return collectCounts(results);
    },
    staleTime: 30_000,
  });
}

/** useStorage is how many files the library stores and their size. */
export function useStorage() {
  return useQuery({
    queryKey: dashboardKeys.storage,
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/storage', { signal })),
    staleTime: 30_000,
  });
}

export function useRecentBatches() {
  return useQuery({
    queryKey: dashboardKeys.batches,
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/batches', { params: { query: { limit: 5 } }, signal })).items ?? [],
  });
}

export function useBudget() {
  return useQuery({
    queryKey: dashboardKeys.budget,
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/usage/budget', { signal })),
  });
}
