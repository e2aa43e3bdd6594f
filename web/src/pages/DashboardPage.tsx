import { Link } from 'react-router';
import { useBudget, useLibraryCounts, useRecentBatches, useStorage } from '../api/dashboard';
import { Card, Meter } from '../components/Panel';
import { Spinner } from '../components/Spinner';
import { hbarLayout, STATES, type Counts } from '../lib/dashboard';
import { categoryLabel, formatBytes } from '../lib/format';
import { formatTokens, formatUsd } from '../lib/usage';

function Loading({ error }: { error?: Error | null }) {
  return error ? (
    <p className="text-sm text-red-600">{error.message}</p>
  ) : (
    <p className="flex items-center gap-2 text-sm text-zinc-500"><Spinner /> Loading…</p>
  );
}

/** Stat is one big number that opens the library filtered to what it counts. */
function Stat({ label, value, to }: { label: string; value: number; to: string }) {
  return (
    <Link to={to} className="rounded-lg bg-zinc-50 px-3 py-2 hover:bg-zinc-100 dark:bg-zinc-900 dark:hover:bg-zinc-800" data-testid={`stat-${label}`}>
      <div className="text-2xl font-semibold tabular-nums">{value.toLocaleString()}</div>
      <div className="text-xs text-zinc-500">{label}</div>
    </Link>
  );
}

const LABEL_W = 90;
const BAR_W = 260;
const COUNT_W = 50;

function CategoryChart({ counts }: { counts: Counts }) {
  const rows = counts.categories.map((c) => ({ key: c.key, count: c.count }));
  if (counts.uncategorised > 0) rows.push({ key: '', count: counts.uncategorised });
  if (!rows.length) return <p className="text-sm text-zinc-500">No samples yet.</p>;
  const { bars, height } = hbarLayout(rows, BAR_W);
  const W = LABEL_W + BAR_W + COUNT_W;
  return (
    <svg viewBox={`0 0 ${W} ${height}`} className="h-auto w-full max-w-xl" role="img" aria-label="Samples per category" data-testid="category-chart">
      {bars.map((b) => (
        <g key={b.key || 'none'} transform={`translate(0 ${b.y})`} data-category={b.key || 'none'}>
          <text x={LABEL_W - 8} y={15} textAnchor="end" className="fill-zinc-600 text-[12px] dark:fill-zinc-400">
            {b.key ? categoryLabel(b.key) : 'none'}
          </text>
          <rect x={LABEL_W} y={4} width={b.width} height={14} rx={2} className={b.key ? 'fill-orange-500' : 'fill-zinc-300 dark:fill-zinc-700'}>
            <title>{`${b.key ? categoryLabel(b.key) : 'no category'}: ${b.count}`}</title>
          </rect>
          <text x={LABEL_W + b.width + 6} y={15} className="fill-zinc-500 text-[12px] tabular-nums">{b.count}</text>
        </g>
      ))}
    </svg>
  );
}

function LibraryCards() {
  const q = useLibraryCounts();
  if (!q.data) {
    return (
      <Card title="Library" className="md:col-span-2">
        <Loading error={q.error} />
      </Card>
    );
  }
  const c = q.data;
  return (
    <>
      <Card title="Library">
        <div className="grid grid-cols-2 gap-2 sm:grid-cols-3">
          <Stat label="Samples" value={c.total} to="/" />
          <Stat label="One-shots" value={c.types['one-shot'] ?? 0} to="/?type=one-shot" />
          <Stat label="Loops" value={c.types.loop ?? 0} to="/?type=loop" />
        </div>
        <h3 className="mt-4 mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">Analysis</h3>
        <dl className="grid grid-cols-2 gap-x-4 text-sm sm:grid-cols-4" data-testid="analysis-states">
          {STATES.map((s) => (
            <div key={s} className="flex justify-between gap-2 border-b border-zinc-100 py-1 dark:border-zinc-900">
              <dt className="text-zinc-500">{s}</dt>
              <dd className={`tabular-nums ${s === 'failed' && c.states[s] ? 'text-red-600' : ''}`}>{c.states[s] ?? 0}</dd>
            </div>
          ))}
        </dl>
        <StorageLine />
      </Card>
      <Card title="Categories">
        <CategoryChart counts={c} />
      </Card>
    </>
  );
}

/** StorageLine says how much disk the sample files take (each stored once). */
function StorageLine() {
  const q = useStorage();
  if (!q.data) return null;
  const { bytes, files, samples } = q.data;
  return (
    <p className="mt-3 text-sm" data-testid="storage">
      <span className="font-medium tabular-nums">{formatBytes(bytes)}</span>
      <span className="text-zinc-500">
        {' '}
        in {files.toLocaleString()} file{files === 1 ? '' : 's'}
        {files !== samples ? ` (${samples.toLocaleString()} samples: chopped slices share their loop's file)` : ''}
      </span>
    </p>
  );
}

function ImportsCard() {
  const q = useRecentBatches();
  return (
    <Card title="Recent imports">
      {!q.data ? (
        <Loading error={q.error} />
      ) : q.data.length === 0 ? (
        <p className="text-sm text-zinc-500">No folder imports yet. <Link to="/imports" className="text-orange-600 underline">Import a folder</Link></p>
      ) : (
        <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-900" data-testid="recent-imports">
          {q.data.map((b) => (
            <li key={b.id} className="flex items-center gap-2 py-1.5">
              <Link to={`/imports?batch=${b.id}`} className="min-w-0 flex-1 truncate hover:underline" title={b.path}>{b.path}</Link>
              <span className="text-xs tabular-nums text-zinc-500">{b.added} added</span>
              <span className={`chip ${b.state === 'failed' ? 'text-red-600' : ''}`}>{b.state}</span>
              <span className="hidden text-xs text-zinc-500 sm:inline">{new Date(b.created_at).toLocaleDateString()}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function BudgetCard() {
  const q = useBudget();
  const b = q.data;
  return (
    <Card title="AI budget">
      {!b ? (
        <Loading error={q.error} />
      ) : (
        <div className="space-y-3">
          <Meter testId="budget-This month" label="This month" used={b.spent_usd + b.in_flight_usd} limit={b.monthly_usd} text={`${formatUsd(b.spent_usd)} of ${formatUsd(b.monthly_usd)}`} />
          <Meter testId="budget-Today" label="Today" used={b.used_tokens + b.in_flight_tokens} limit={b.daily_tokens} text={`${formatTokens(b.used_tokens)} of ${formatTokens(b.daily_tokens)} tokens`} />
          <p className={`text-sm ${b.exhausted ? 'text-red-600' : 'text-zinc-500'}`} data-testid="budget-state">
            {b.exhausted ? 'Used up: vibe analysis keeps the offline vibe until the budget renews or is raised.' : `${formatUsd(b.remaining_usd)} left this month.`}{' '}
            <Link to="/usage" className="text-orange-600 underline">Usage</Link>
          </p>
        </div>
      )}
    </Card>
  );
}

export default function DashboardPage() {
  return (
    <div className="h-full overflow-auto">
      <div className="mx-auto max-w-5xl space-y-4 p-4">
        <h1 className="text-lg font-semibold">Dashboard</h1>
        <div className="grid gap-4 md:grid-cols-2">
          <LibraryCards />
          <ImportsCard />
          <BudgetCard />
        </div>
      </div>
    </div>
  );
}

