import { useEffect, useReducer } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, must } from './client';
import type { components } from './schema';
import { batchSocketUrl, FINISHED, initialLive, reduceBatchMessage, type LiveBatch } from '../lib/batchSocket';
import { keys as sampleKeys } from './samples';

export type Batch = components['schemas']['Batch'];

export const batchKeys = {
  list: ['batches', 'list'] as const,
  batch: (id: number) => ['batch', id] as const,
};

export const isFinished = (b: Pick<Batch, 'state'>) => FINISHED.includes(b.state);

export function useBatches() {
  return useQuery({
    queryKey: batchKeys.list,
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/batches', { params: { query: { limit: 50 } }, signal })),
  });
}

export function useBatch(id: number | null) {
  return useQuery({
    queryKey: batchKeys.batch(id ?? 0),
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/batches/{id}', { params: { path: { id: id! } }, signal })),
    enabled: id !== null,
    // The socket carries the live numbers; this catches up when it cannot (a proxy without
    // WebSockets) and brings the failure list.
    refetchInterval: (q) => (q.state.data && isFinished(q.state.data) ? false : 3000),
    meta: { notFoundShown: true },
  });
}

export function useBatchWrites() {
  const qc = useQueryClient();
  const put = (b: Batch) => {
    qc.setQueryData(batchKeys.batch(b.id), b);
    void qc.invalidateQueries({ queryKey: batchKeys.list });
  };
  const create = useMutation({
    mutationFn: async (body: components['schemas']['BatchInput']) => must(await api.POST('/api/v1/batches', { body })),
    onSuccess: put,
    // The form shows the server's explanation (it names the import roots) itself.
    meta: { silent: true },
  });
  const cancel = useMutation({
    mutationFn: async (id: number) => must(await api.POST('/api/v1/batches/{id}/cancel', { params: { path: { id } } })),
    onSuccess: put,
  });
  const retry = useMutation({
    mutationFn: async (id: number) => must(await api.POST('/api/v1/batches/{id}/retry', { params: { path: { id } } })),
    onSuccess: put,
  });
  return { create, cancel, retry };
}

type Action = { type: 'reset' } | { type: 'message'; raw: string };

/**
 * useLiveBatch follows WS /ws/batches/{id} while `run` stays the same (bump it after a retry to
 * follow the new run). On "complete" the batch, the list and the library are refetched.
 */
export function useLiveBatch(id: number | null, run: number): LiveBatch {
  const qc = useQueryClient();
  const [state, dispatch] = useReducer((s: LiveBatch, a: Action) => (a.type === 'reset' ? initialLive : reduceBatchMessage(s, a.raw)), initialLive);
  useEffect(() => {
    dispatch({ type: 'reset' });
    if (id === null) return;
    const ws = new WebSocket(batchSocketUrl(window.location, id));
    let done = false;
    ws.onmessage = (e) => {
      if (typeof e.data !== 'string') return;
      dispatch({ type: 'message', raw: e.data });
      if (!done && e.data.includes('"complete"')) {
        done = true;
        void qc.invalidateQueries({ queryKey: batchKeys.batch(id) });
        void qc.invalidateQueries({ queryKey: batchKeys.list });
        void qc.invalidateQueries({ queryKey: sampleKeys.lists });
      }
    };
    return () => {
      ws.onmessage = null;
      // Closing a socket that is still connecting makes Chromium log an error; let it open first.
      if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close();
      else ws.close();
    };
  }, [id, run, qc]);
  return state;
}
