import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import { ApiError } from './api/client';
import { AudioProvider } from './audio/AudioProvider';
import { ToastProvider, type ToastBus } from './components/Toasts';
import { UploadProvider } from './upload/UploadProvider';
import { AuthGate } from './auth/AuthGate';
import { applyTheme, storedTheme } from './lib/theme';
import './index.css';

applyTheme(storedTheme());

const toasts: ToastBus = { push: () => {} };
const report = (e: unknown) => {
  if (e instanceof DOMException && e.name === 'AbortError') return;
  toasts.push(e instanceof Error ? e.message : String(e));
};

const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (e, q) => {
      if (q.meta?.silent) return;
      // A lapsed session brings back the login form; that is message enough.
      if (e instanceof ApiError && e.status === 401) return;
      // Pages that show their own "not found" state say so in the query's meta.
      if (q.meta?.notFoundShown && e instanceof ApiError && e.status === 404) return;
      report(e);
    },
  }),
  mutationCache: new MutationCache({
    onError: (e, _v, _c, m) => {
      if (m.meta?.silent || (e instanceof ApiError && e.status === 401)) return;
      report(e);
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // A client error will not go away by asking again; a network or server error might.
      retry: (n, e) => n < 1 && !(e instanceof ApiError && e.status < 500),
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ToastProvider bus={toasts}>
        <AudioProvider>
          <AuthGate>
            <UploadProvider>
              <App />
            </UploadProvider>
          </AuthGate>
        </AudioProvider>
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
);
