/** The Overview's latency chart: each deployment's p50 and p95 for every hour of the last 24. */
import { useQuery } from '@tanstack/react-query';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartBox, ChartLegend, SERIES_COLORS } from '../../ui/chart-box';
import { usageQueries } from '../../api/queries/usage';
import { Card, Empty, ErrorNote, Loading } from '../../ui/parts';

/** A local model's answer takes seconds: 20 s, not 20000 ms (the values are the histogram's bounds, 50 ms to 60 s). */
const latencyTick = (ms: number) => (ms >= 1_000 ? `${Number((ms / 1_000).toFixed(1))} s` : `${Math.round(ms)} ms`);

export function LatencyChart() {
  // Rounded to the minute so the query key stays the same between renders.
  const since = String(Math.floor(Date.now() / 60_000) * 60_000 - 24 * 3_600_000);
  const rollups = useQuery(usageQueries.rollups({ granularity: 'hour', groupBy: 'deployment', since }));
  if (rollups.isPending) return <Card title="Latency by deployment"><Loading what="latency" /></Card>;
  if (rollups.isError) return <Card title="Latency by deployment"><ErrorNote error={rollups.error} /></Card>;
  // Requests that reached no deployment (refused, unknown model) measure the gateway, not a deployment.
  const points = rollups.data.points.filter((p) => p.group);
  const hoursSeen = new Map<string, number>();
  for (const point of points) hoursSeen.set(point.group as string, (hoursSeen.get(point.group as string) ?? 0) + 1);
  const deployments = [...hoursSeen.keys()];
  // Every hour of the 24 is on the axis, quiet ones too; a line joins the hours that had requests.
  const byBucket = new Map(rollups.data.buckets.map((hour): [number, Record<string, number | string>] => [hour, { time: new Date(hour).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) }]));
  for (const point of points) {
    const row = byBucket.get(point.bucket) as Record<string, number | string>;
    if (point.latencyP50Ms !== null) row[`${point.group} p50`] = point.latencyP50Ms;
    if (point.latencyP95Ms !== null) row[`${point.group} p95`] = point.latencyP95Ms;
  }
  const data = points.length === 0 ? [] : [...byBucket.values()];
  return (
    <Card title="Latency p50 / p95 by deployment (24 h)">
      {data.length === 0 ? (
        <Empty>No requests in the last 24 hours yet.</Empty>
      ) : (
        <ChartBox>
          <LineChart data={data}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="time" stroke="var(--muted)" fontSize={11} padding={{ left: 8, right: 8 }} />
            <YAxis stroke="var(--muted)" fontSize={11} tickFormatter={latencyTick} />
            <Tooltip formatter={(value) => latencyTick(Number(value))} />
            <ChartLegend />
            {deployments.flatMap((d, i) => {
              // A deployment seen in one or two hours has no line to speak of: its points are drawn larger.
              const dot = { r: hoursSeen.get(d) as number <= 2 ? 4 : 2 };
              return [
                <Line key={`${d}50`} dataKey={`${d} p50`} stroke={SERIES_COLORS[i % SERIES_COLORS.length]} dot={dot} connectNulls isAnimationActive={false} />,
                <Line key={`${d}95`} dataKey={`${d} p95`} stroke={SERIES_COLORS[i % SERIES_COLORS.length]} strokeDasharray="4 3" dot={dot} connectNulls isAnimationActive={false} />,
              ];
            })}
          </LineChart>
        </ChartBox>
      )}
    </Card>
  );
}
