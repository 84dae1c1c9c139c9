/** The Overview's newest failed requests, each with the attempts that failed and why. */
import { useQuery } from '@tanstack/react-query';
import { usageQueries } from '../../api/queries/usage';
import type { Attempt, UsageRow } from '../../api/types';
import { Badge, Card, Empty, ErrorNote, Moment } from '../../ui/parts';
import { StackedTable } from '../../ui/stacked-table';

/** What an attempt's upstream (or the gateway) said, else its failure class: "connect" alone tells a user little. */
const attemptSaid = (a: Attempt) => `${a.deployment}: ${a.outcome === 'ok' ? 'answered' : (a.message ?? `${a.failure}${a.status ? ` ${a.status}` : ''}`)}`;

/** Its attempts, then, where the last one answered (a client that left mid-answer) or none was made, what the row says went wrong. */
function why(f: UsageRow): string {
  const said = f.attempts.map(attemptSaid);
  if (f.attempts.at(-1)?.outcome !== 'failed') said.push(f.errorMessage || (said.length > 0 ? (f.errorClass ?? '') : 'no attempt was made'));
  return said.filter(Boolean).join(' > ');
}

export function RecentFailures() {
  const overview = useQuery(usageQueries.overview());
  const failures = overview.data?.recentFailures ?? [];
  return (
    <Card title="Recent failures">
      {overview.isError ? <ErrorNote error={overview.error} /> : null}
      {failures.length === 0 ? (
        <Empty>No failed requests. Fallbacks that succeeded are counted in the fallback rate.</Empty>
      ) : (
        <StackedTable>
          <thead>
            <tr><th>Time</th><th>Model</th><th>Status</th><th>Why</th></tr>
          </thead>
          <tbody>
            {failures.map((f) => (
              <tr key={f.id}>
                <td data-label="Time"><Moment at={f.at} /></td>
                <td data-label="Model"><span className="clip" title={f.model}>{f.model || '-'}</span></td>
                <td data-label="Status"><Badge tone="bad">{f.status}</Badge> <span className="muted">{f.errorClass}</span></td>
                <td data-label="Why" className="muted long-text" title={f.errorMessage ?? undefined}>{why(f)}</td>
              </tr>
            ))}
          </tbody>
        </StackedTable>
      )}
    </Card>
  );
}
