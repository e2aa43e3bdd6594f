import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, must } from './client';
import type { PreferencesPatch } from '../lib/usage';

export const usageKeys = {
  prefs: ['preferences'] as const,
  summary: ['usage', 'summary'] as const,
  daily: (days: number) => ['usage', 'daily', days] as const,
  recent: ['usage', 'recent'] as const,
};

export const USAGE_CSV = '/api/v1/usage/export';

export function usePreferences() {
  return useQuery({
    queryKey: usageKeys.prefs,
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/preferences', { signal })),
    staleTime: 60_000,
  });
}

export function usePatchPreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: PreferencesPatch) => must(await api.PATCH('/api/v1/preferences', { body })),
    onSuccess: (p) => {
      qc.setQueryData(usageKeys.prefs, p);
      // Budgets show on the usage page.
      void qc.invalidateQueries({ queryKey: ['usage'] });
    },
  });
}

export function useUsageSummary() {
  return useQuery({
    queryKey: usageKeys.summary,
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/usage/summary', { signal })),
  });
}

export function useUsageDaily(days: number) {
  return useQuery({
    queryKey: usageKeys.daily(days),
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/usage/daily', { params: { query: { days } }, signal })).items ?? [],
  });
}

export function useUsageRecent() {
  return useQuery({
    queryKey: usageKeys.recent,
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/usage/recent', { params: { query: { limit: 50 } }, signal })).items ?? [],
  });
}
