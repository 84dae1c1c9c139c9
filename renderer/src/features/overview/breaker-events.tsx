/**
 * The last day's breaker events, newest first: when a deployment stopped being tried and why, when
 * it was tried again, and how long it was open. What explains an afternoon of cloud bills after a
 * local model fell over, and it is kept across restarts.
 */
import { useQuery } from '@tanstack/react-query';
import { healthQueries } from '../../api/queries/health';
import type { Breakers } from '../../api/types';
import { Badge, Card, Empty, ErrorNote, Loading, Moment, statusTone } from '../../ui/parts';
import { StackedTable } from '../../ui/stacked-table';

type Transition = Breakers['transitions'][number];

/** Rows shown at most; the rest are counted. */
const SHOWN = 20;

export function BreakerEvents() {
  const events = useQuery(healthQueries.breakerEvents());
  const title = 'Breaker events (24 h)';
  if (events.isPending) return <Card title={title}><Loading what="breaker events" /></Card>;
  if (events.isError) return <Card title={title}><ErrorNote error={events.error} /></Card>;
  const rows = withOpenFor(events.data).reverse();
  return (
    <Card title={title}>
      {rows.length === 0 ? (
        <Empty>No breaker opened in the last 24 hours: every deployment was tried in its route's order.</Empty>
      ) : (
        <>
          <StackedTable>
            <thead>
              <tr><th>Time</th><th>Deployment</th><th>Change</th><th>Why</th></tr>
            </thead>
            <tbody>
              {rows.slice(0, SHOWN).map(({ transition: t, openFor }) => (
                <tr key={`${t.deployment}-${t.at}-${t.to}`} data-testid="breaker-event">
                  <td data-label="Time"><Moment at={t.at} /></td>
                  <td data-label="Deployment">{t.deployment}</td>
                  <td data-label="Change"><Badge tone={statusTone(t.from)}>{t.from}</Badge> → <Badge tone={statusTone(t.to)}>{t.to}</Badge></td>
                  <td data-label="Why" className="muted">{t.reason}{openFor === undefined ? '' : ` (open ${duration(openFor)})`}</td>
                </tr>
              ))}
            </tbody>
          </StackedTable>
          {rows.length > SHOWN ? <p className="muted">and {rows.length - SHOWN} earlier</p> : null}
        </>
      )}
    </Card>
  );
}

/** Each transition with, when it closes a breaker, how long since that deployment's breaker opened. */
function withOpenFor(transitions: readonly Transition[]): { transition: Transition; openFor: number | undefined }[] {
  const openedAt = new Map<string, number>();
  return transitions.map((transition) => {
    if (transition.to === 'open' && transition.from === 'closed') openedAt.set(transition.deployment, transition.at);
    const opened = transition.to === 'closed' ? openedAt.get(transition.deployment) : undefined;
    if (transition.to === 'closed') openedAt.delete(transition.deployment);
    return { transition, openFor: opened === undefined ? undefined : transition.at - opened };
  });
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
