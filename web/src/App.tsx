import { lazy, Suspense, type ComponentType } from 'react';
import { createBrowserRouter, NavLink, Outlet, RouterProvider, useRouteError, isRouteErrorResponse, Link } from 'react-router';
import { ChartColumn, Copy, FolderInput, FolderTree, Grid3x3, LayoutDashboard, Library, Monitor, Moon, Settings, Sun, Upload, type LucideIcon } from 'lucide-react';
import { useTheme } from './lib/theme';
import { Spinner } from './components/Spinner';
import { useUploadQueue } from './upload/UploadProvider';
import { summary } from './upload/queue';
import { LogoutButton } from './auth/AuthGate';
// The library is the home page: it loads with the app, so its first render does not suspend
// (React keeps a Suspense fallback it has shown for at least 300 ms).
import LibraryPage from './pages/library/LibraryPage';

const UploadPage = lazy(() => import('./pages/UploadPage'));
const SampleDetailPage = lazy(() => import('./pages/SampleDetailPage'));
const KitsPage = lazy(() => import('./pages/kits/KitsPage'));
const KitPage = lazy(() => import('./pages/kits/KitPage'));
const ImportsPage = lazy(() => import('./pages/ImportsPage'));
const UsagePage = lazy(() => import('./pages/UsagePage'));
const CollectionsPage = lazy(() => import('./pages/CollectionsPage'));
const SettingsPage = lazy(() => import('./pages/SettingsPage'));
const DashboardPage = lazy(() => import('./pages/DashboardPage'));
const DuplicatesPage = lazy(() => import('./pages/DuplicatesPage'));

/**
 * nav lists the top-level pages; each but the library has a lazy route in `routes` below.
 */
export const nav: Array<{ to: string; label: string; icon: LucideIcon; end?: boolean }> = [
  { to: '/', label: 'Library', icon: Library, end: true },
  { to: '/dashboard', label: 'Dashboard', icon: LayoutDashboard },
  { to: '/upload', label: 'Upload', icon: Upload },
  { to: '/collections', label: 'Collections', icon: FolderTree },
  { to: '/kits', label: 'Kits', icon: Grid3x3 },
  { to: '/imports', label: 'Imports', icon: FolderInput },
  { to: '/duplicates', label: 'Duplicates', icon: Copy },
  { to: '/usage', label: 'Usage', icon: ChartColumn },
  { to: '/settings', label: 'Settings', icon: Settings },
];

const page = (C: ComponentType) => (
  <Suspense
    fallback={
      <div className="flex items-center gap-2 p-6 text-sm text-zinc-500">
        <Spinner /> Loading…
      </div>
    }
  >
    <C />
  </Suspense>
);

function ThemeToggle() {
  const { choice, cycle } = useTheme();
  const Icon = choice === 'dark' ? Moon : choice === 'light' ? Sun : Monitor;
  return (
    <button type="button" className="btn border-transparent" onClick={cycle} title={`Theme: ${choice} (click to change)`} aria-label={`Theme: ${choice}`}>
      <Icon size={16} />
    </button>
  );
}

function UploadBadge() {
  const { items } = useUploadQueue();
  const c = summary(items);
  const left = c.queued + c.uploading;
  if (!left) return null;
  return <span className="ml-1 rounded-full bg-orange-500 px-1.5 text-xs text-white tabular-nums">{left}</span>;
}

function Shell() {
  return (
    <div className="flex h-full flex-col">
      <header className="flex items-center gap-1 border-b border-zinc-200 px-3 py-1.5 dark:border-zinc-800">
        <Link to="/" className="mr-3 flex shrink-0 items-center gap-2 font-semibold">
          <img src="/favicon.svg" alt="" width={22} height={22} />
          <span className="hidden sm:inline">SP-404 Sample Agent</span>
        </Link>
        <nav className="flex min-w-0 items-center gap-1 overflow-x-auto [scrollbar-width:none]" aria-label="Main">
          {nav.map((n) => (
            <NavLink
              key={n.to}
              to={n.to}
              end={n.end}
              aria-label={n.label}
              title={n.label}
              className={({ isActive }) =>
                `flex shrink-0 items-center gap-1.5 rounded-md px-2 py-1 text-sm font-medium xl:px-2.5 ${
                  isActive ? 'bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50' : 'text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100'
                }`
              }
            >
              <n.icon size={16} />
              <span className="hidden xl:inline">{n.label}</span>
              {n.to === '/upload' && <UploadBadge />}
            </NavLink>
          ))}
        </nav>
        <div className="ml-auto flex shrink-0 items-center">
          <ThemeToggle />
          <LogoutButton />
        </div>
      </header>
      <main className="min-h-0 flex-1">
        <Outlet />
      </main>
    </div>
  );
}

function RouteError() {
  const err = useRouteError();
  const msg = isRouteErrorResponse(err) ? `${err.status} ${err.statusText}` : err instanceof Error ? err.message : 'Something went wrong.';
  return (
    <div className="p-6 text-sm">
      <p className="mb-2">{msg}</p>
      <Link to="/" className="text-orange-600 underline">Back to the library</Link>
    </div>
  );
}

function NotFound() {
  return (
    <div className="p-6 text-sm">
      <p className="mb-2">This page does not exist.</p>
      <Link to="/" className="text-orange-600 underline">Back to the library</Link>
    </div>
  );
}

export const routes = [
  {
    element: <Shell />,
    errorElement: <RouteError />,
    children: [
      { path: '/', element: page(LibraryPage) },
      { path: '/dashboard', element: page(DashboardPage) },
      { path: '/upload', element: page(UploadPage) },
      { path: '/samples/:id', element: page(SampleDetailPage) },
      { path: '/kits', element: page(KitsPage) },
      { path: '/kits/:id', element: page(KitPage) },
      { path: '/imports', element: page(ImportsPage) },
      { path: '/duplicates', element: page(DuplicatesPage) },
      { path: '/collections', element: page(CollectionsPage) },
      { path: '/collections/:id', element: page(CollectionsPage) },
      { path: '/usage', element: page(UsagePage) },
      { path: '/settings', element: page(SettingsPage) },
      { path: '*', element: <NotFound /> },
    ],
  },
];

const router = createBrowserRouter(routes);

export function App() {
  return <RouterProvider router={router} />;
}
