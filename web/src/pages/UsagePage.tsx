import { Link } from 'react-router';
import { Download } from 'lucide-react';
import type { components } from '../api/schema';
import { USAGE_CSV, useUsageDaily, useUsageRecent, useUsageSummary } from '../api/usage';
import { Card, Meter } from '../components/Panel';
import { Spinner } from '../components/Spinner';
import { barLayout, formatTokens, formatUsd, type Day } from '../lib/usage';

type Totals = components['schemas']['Totals'];

const W = 600;
const H = 140;

function DailyChart({ days }: { days: Day[] }) {
  const { bars, max } = barLayout(days, W, H);
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H + 18}`} className="h-auto w-full" role="img" aria-label={`Spending per day over the last ${days.length} days, highest ${formatUsd(max)}`} data-testid="daily-chart">
        <line x1={0} x2={W} y1={H + 0.5} y2={H + 0.5} className="stroke-zinc-300 dark:stroke-zinc-700" />
        {bars.map((b) => (
          <rect key={b.date} x={b.x} y={b.y} width={b.width} height={b.height} rx={1} className={b.value > 0 ? 'fill-orange-500' : 'fill-zinc-300 dark:fill-zinc-700'} data-date={b.date}>
            <title>{`${b.date}: ${formatUsd(b.value)}`}</title>
          </rect>
        ))}
        {bars.length > 0 && (
          <>
            <text x={0} y={H + 14} className="fill-zinc-500 text-[11px]">
              {bars[0].date}
            </text>
            <text x={W} y={H + 14} textAnchor="end" className="fill-zinc-500 text-[11px]">
              {bars[bars.length - 1].date}
            </text>
          </>
        )}
      </svg>
      <figcaption className="text-xs text-zinc-500">Highest day: {formatUsd(max)}</figcaption>
    </figure>
  );
}

function TotalsTable({ label, rows }: { label: string; rows: Record<string, Totals> }) {
  const entries = Object.entries(rows).sort((a, b) => b[1].cost_usd - a[1].cost_usd);
  if (!entries.length) return <p className="text-sm text-zinc-500">No calls this month.</p>;
  return (
    <table className="w-full text-sm" aria-label={label}>
      <thead className="text-left text-xs text-zinc-500">
        <tr>
          <th className="py-1">{label}</th>
          <th className="text-right">Calls</th>
          <th className="text-right">Tokens in/out</th>
          <th className="text-right">Errors</th>
          <th className="text-right">Cost</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([k, t]) => (
          <tr key={k} className="border-t border-zinc-100 dark:border-zinc-900">
            <td className="py-1 font-mono text-xs">{k}</td>
            <td className="text-right tabular-nums">{t.calls}</td>
            <td className="text-right tabular-nums">
              {formatTokens(t.input_tokens)}/{formatTokens(t.output_tokens)}
            </td>
            <td className="text-right tabular-nums">{t.errors + t.bad_output + t.refused}</td>
            <td className="text-right tabular-nums">{formatUsd(t.cost_usd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function UsagePage() {
  const summary = useUsageSummary();
  const daily = useUsageDaily(30);
  const recent = useUsageRecent();
  const s = summary.data;
  return (
    <div className="mx-auto flex h-full max-w-5xl flex-col gap-4 overflow-auto p-4">
      <div className="flex items-center gap-2">
        <h1 className="text-lg font-semibold">Usage</h1>
        <a className="btn ml-auto" href={USAGE_CSV} download>
          <Download size={14} /> Export CSV
        </a>
      </div>
      {!s ? (
        <Spinner label="Loading usage" />
      ) : (
        <Card title="Budget">
          <div className="grid gap-4 sm:grid-cols-2">
            <Meter testId="meter-This month" label="This month"
              used={s.budget.spent_usd + s.budget.in_flight_usd}
              limit={s.budget.monthly_usd}
              text={`${formatUsd(s.budget.spent_usd)} of ${formatUsd(s.budget.monthly_usd)}`}
            />
            <Meter testId="meter-Today" label="Today"
              used={s.budget.used_tokens + s.budget.in_flight_tokens}
              limit={s.budget.daily_tokens}
              text={`${formatTokens(s.budget.used_tokens)} of ${formatTokens(s.budget.daily_tokens)} tokens`}
            />
          </div>
          {s.budget.exhausted && <p className="mt-2 text-sm text-red-600">The budget is used up: vibe analysis waits until it renews or is raised.</p>}
          <p className="mt-2 text-xs text-zinc-500">
            {s.total.calls} calls this month, {formatUsd(s.total.cost_usd)}. Budgets are set in <Link to="/settings" className="text-orange-600 underline">Settings</Link>.
          </p>
        </Card>
      )}
      <Card title="Last 30 days">{daily.data ? <DailyChart days={daily.data} /> : <Spinner />}</Card>
      {s && (
        <div className="grid gap-4 md:grid-cols-2">
          <Card title="By model">
            <TotalsTable label="Model" rows={s.by_model} />
          </Card>
          <Card title="By operation">
            <TotalsTable label="Operation" rows={s.by_operation} />
          </Card>
        </div>
      )}
      <Card title="Recent calls">
        {!recent.data ? (
          <Spinner />
        ) : recent.data.length === 0 ? (
          <p className="text-sm text-zinc-500">No calls yet.</p>
        ) : (
          <table className="w-full text-sm">
            <thead className="text-left text-xs text-zinc-500">
              <tr>
                <th className="py-1">Time</th>
                <th>Model</th>
                <th>Operation</th>
                <th>Outcome</th>
                <th className="text-right">Tokens</th>
                <th className="text-right">Cost</th>
              </tr>
            </thead>
            <tbody>
              {recent.data.map((c, i) => (
                <tr key={`${c.time}-${i}`} className="border-t border-zinc-100 dark:border-zinc-900">
                  <td className="py-1 text-xs">{new Date(c.time).toLocaleString()}</td>
                  <td className="font-mono text-xs">{c.model}</td>
                  <td>
                    {c.operation}
                    {c.sample_id !== null && (
                      <Link to={`/samples/${c.sample_id}`} className="ml-1 text-xs text-orange-600 underline">
                        #{c.sample_id}
                      </Link>
                    )}
                  </td>
                  <td title={c.error}>{c.outcome}</td>
                  <td className="text-right tabular-nums">{formatTokens(c.input_tokens + c.output_tokens)}</td>
                  <td className="text-right tabular-nums">{formatUsd(c.cost_usd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}

