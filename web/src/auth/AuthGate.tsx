import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound, LogOut } from 'lucide-react';
import { api, must, session, type SessionInfo } from '../api/client';
import { Spinner } from '../components/Spinner';

const sessionKey = ['auth', 'session'] as const;
const Ctx = createContext<SessionInfo | null>(null);

/**
 * AuthGate asks the server whether login is required (AUTH_PASSWORD). With auth off it renders
 * the app at once; with auth on it shows the login form until there is a session, and keeps the
 * session's CSRF token where every write picks it up.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: sessionKey,
    queryFn: async ({ signal }) => must(await api.GET('/api/v1/auth/session', { signal })),
    staleTime: Infinity,
    retry: 1,
  });
  useEffect(() => {
    session.csrfToken = q.data?.csrf_token ?? '';
    session.loggedOut = !!q.data?.auth_enabled && !q.data.authenticated;
  }, [q.data]);
  useEffect(() => {
    session.onUnauthorized = () => void qc.invalidateQueries({ queryKey: sessionKey });
    return () => {
      session.onUnauthorized = () => {};
    };
  }, [qc]);

  if (q.isPending) {
    return (
      <div className="flex h-full items-center justify-center gap-2 text-sm text-zinc-500">
        <Spinner /> Connecting…
      </div>
    );
  }
  if (q.isError) {
    return (
      <div className="flex h-full flex-col items-center justify-center gap-3 p-6 text-sm">
        <p>The server could not be reached: {q.error.message}</p>
        <button type="button" className="btn" onClick={() => void q.refetch()}>Try again</button>
      </div>
    );
  }
  if (q.data.auth_enabled && !q.data.authenticated) return <LoginPage />;
  return <Ctx.Provider value={q.data}>{children}</Ctx.Provider>;
}

function LoginPage() {
  const qc = useQueryClient();
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: async (pw: string) => must(await api.POST('/api/v1/auth/login', { body: { password: pw } })),
    onSuccess: (info) => {
      session.csrfToken = info.csrf_token ?? '';
      session.loggedOut = false;
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      qc.setQueryData(sessionKey, info);
    },
    meta: { silent: true },
  });
  return (
    <div className="flex h-full items-center justify-center p-4">
      <form
        className="w-full max-w-xs space-y-3 rounded-xl border border-zinc-200 p-5 dark:border-zinc-800"
        onSubmit={(e) => {
          e.preventDefault();
          if (password) login.mutate(password);
        }}
      >
        <div className="flex items-center gap-2">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <h1 className="text-lg font-semibold">SP-404 Sample Agent</h1>
        </div>
        <label className="block text-sm">
          <span className="mb-1 block text-zinc-500">Password</span>
          <input type="password" autoComplete="current-password" autoFocus className="w-full" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {login.isError && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {login.error.message}
          </p>
        )}
        <button type="submit" className="btn btn-primary w-full justify-center" disabled={!password || login.isPending}>
          <KeyRound size={14} /> Log in
        </button>
      </form>
    </div>
  );
}

/** LogoutButton shows only when the server has authentication on. */
export function LogoutButton() {
  const info = useContext(Ctx);
  const qc = useQueryClient();
  const logout = useMutation({
    // Leave the app before the cookie goes: a poll sent after the logout but before the login
    // page showed would be refused with 401.
    mutationFn: async () => {
      const others = { predicate: (q: { queryKey: readonly unknown[] }) => q.queryKey[0] !== sessionKey[0] };
      session.loggedOut = true;
      await qc.cancelQueries(others);
      session.csrfToken = '';
      qc.setQueryData(sessionKey, { auth_enabled: true, authenticated: false });
      try {
        must(await api.POST('/api/v1/auth/logout'));
      } catch {
        // The cookie may still be good: ask the server which it is.
        void qc.invalidateQueries({ queryKey: sessionKey });
      } finally {
        qc.removeQueries(others);
      }
    },
  });
  if (!info?.auth_enabled) return null;
  return (
    <button type="button" className="btn border-transparent" onClick={() => logout.mutate()} aria-label="Log out" title="Log out">
      <LogOut size={16} />
    </button>
  );
}
