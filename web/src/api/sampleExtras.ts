import { useCallback, useEffect, useReducer, useRef } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, must } from './client';
import type { components } from './schema';
import { closedEarly, initialVibe, reduceVibeMessage, vibeSocketUrl, type VibeLive } from '../lib/vibeSocket';

export type Aspect = 'overall' | 'timbre' | 'pitch' | 'envelope' | 'rhythm';
export const ASPECTS: Aspect[] = ['overall', 'timbre', 'pitch', 'envelope', 'rhythm'];
export type SampleVibe = components['schemas']['SampleVibe'];

export const extraKeys = {
  similar: (id: number, aspect: Aspect) => ['similar', id, aspect] as const,
  kits: (id: number) => ['sample-kits', id] as const,
  vibe: (id: number) => ['vibe', id] as const,
};

export function useSimilar(id: number, aspect: Aspect, enabled: boolean) {
  return useQuery({
    queryKey: extraKeys.similar(id, aspect),
    queryFn: async ({ signal }) =>
      must(await api.GET('/api/v1/samples/{id}/similar', { params: { path: { id }, query: { aspect, limit: 10 } }, signal })).items ?? [],
    enabled,
  });
}

export function useSampleKits(id: number, enabled: boolean) {
  return useQuery({
    queryKey: extraKeys.kits(id),
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/samples/{id}/kits', { params: { path: { id } }, signal })).items ?? [],
    enabled,
  });
}

/** useStoredVibe loads the saved vibe; null when the sample has none yet (a 404). */
export function useStoredVibe(id: number, enabled: boolean) {
  return useQuery({
    queryKey: extraKeys.vibe(id),
    queryFn: async ({ signal }): Promise<SampleVibe | null> => {
      try {
        return must(await api.GET('/api/v1/samples/{id}/vibe', { params: { path: { id } }, signal }));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    enabled,
    retry: false,
  });
}

type Action = { type: 'reset' } | { type: 'start' } | { type: 'message'; raw: string } | { type: 'closed'; reason: string };

function reduce(s: VibeLive, a: Action): VibeLive {
  switch (a.type) {
    case 'reset':
      return initialVibe;
    case 'start':
      return { ...initialVibe, phase: 'running' };
    case 'message':
      return reduceVibeMessage(s, a.raw);
    case 'closed':
      return closedEarly(s, a.reason);
  }
}

/**
 * useVibeRun opens WS /ws/vibe/{id} when `start` is called (opening it starts the analysis, or joins
 * the one running) and folds its messages into a VibeLive. On "complete" the stored vibe is
 * refetched. The socket closes when the sample changes or the page goes.
 */
export function useVibeRun(id: number): { live: VibeLive; start: () => void } {
  const qc = useQueryClient();
  const [live, dispatch] = useReducer(reduce, initialVibe);
  const sock = useRef<WebSocket | null>(null);

  const stop = useCallback(() => {
    const ws = sock.current;
    sock.current = null;
    if (!ws) return;
    ws.onmessage = null;
    ws.onclose = null;
    ws.onerror = null;
    // Closing a socket that is still connecting makes Chromium log an error; let it open first.
    if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close();
    else ws.close();
  }, []);

  useEffect(() => {
    dispatch({ type: 'reset' });
    return stop;
  }, [id, stop]);

  const start = useCallback(() => {
    stop();
    dispatch({ type: 'start' });
    const ws = new WebSocket(vibeSocketUrl(window.location, id));
    sock.current = ws;
    ws.onmessage = (e) => {
      if (typeof e.data !== 'string') return;
      dispatch({ type: 'message', raw: e.data });
      if (e.data.includes('"complete"')) void qc.invalidateQueries({ queryKey: extraKeys.vibe(id) });
    };
    ws.onerror = () => {}; // the close that follows says what happened
    ws.onclose = (e) => {
      if (sock.current === ws) sock.current = null;
      dispatch({ type: 'closed', reason: e.code === 4404 ? 'This sample is no longer in the library.' : e.reason });
    };
  }, [id, qc, stop]);

  return { live, start };
}
