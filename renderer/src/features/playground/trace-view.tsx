/** A playground answer's trace: who answered, cache, tokens, cost, times, the routing decision, and what went upstream. */
import type { Trace, UpstreamSent } from '../../api/types';
import { Badge, duration, money, Snippet } from '../../ui/parts';
import { DecisionList } from '../routing/decision-view';

export type ShownTrace = Trace & { upstream?: UpstreamSent[] };

export function TraceView({ trace }: { trace: ShownTrace }) {
  return (
    <div className="card" style={{ marginTop: 6, padding: 10 }} data-testid="trace">
      <div className="row" style={{ marginBottom: 6 }}>
        <span>Answered by <strong>{trace.deployment}</strong></span>
        <Badge tone={trace.cache === 'hit' ? 'info' : undefined}>cache {trace.cache}</Badge>
        {trace.tokens ? <span className="muted">{trace.tokens.input} in / {trace.tokens.output} out</span> : null}
        <span className="muted">{money(trace.cost)}</span>
        <span className="muted">{duration(trace.totalMs)}{trace.firstTokenMs !== null ? `, first token ${duration(trace.firstTokenMs)}` : ''}</span>
      </div>
      {/* The decision lists every step; the attempts alone only for a trace without one. */}
      {trace.decision ? <DecisionList decision={trace.decision} /> : <ol className="timeline">
        {trace.skipped.map((s) => (
          <li key={`s-${s.deployment}`}><Badge tone="warn">skipped</Badge> <strong>{s.deployment}</strong> <span className="muted">{s.message}</span></li>
        ))}
        {trace.attempts.map((a, i) => (
          <li key={i}>
            <Badge tone={a.outcome === 'ok' ? 'ok' : 'bad'}>{a.outcome === 'ok' ? 'answered' : 'failed'}</Badge> <strong>{a.deployment}</strong>{' '}
            <span className="muted">{duration(a.latencyMs)}{a.message ? ` · ${a.message}` : ''}</span>
          </li>
        ))}
      </ol>}
      {trace.upstream?.length ? (
        <details data-testid="upstream">
          <summary>Sent upstream ({trace.upstream.length})</summary>
          {trace.upstream.map((u, i) => (
            <div key={i}>
              <div className="muted long-text">{u.provider}: {u.method} {u.url}</div>
              <Snippet>{JSON.stringify(u.body, null, 2)}</Snippet>
            </div>
          ))}
        </details>
      ) : null}
    </div>
  );
}
