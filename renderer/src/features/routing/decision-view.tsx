/**
 * A request's routing decision as a list: how the route was chosen (alias, rule, strategy), then
 * every deployment in the order considered, skipped (and why) or tried (and how it ended). Used by
 * the Usage drawer and the Playground.
 */
import type { DecisionView as Decision } from '../../api/types';
import { Badge, duration } from '../../ui/parts';

const REASONS: Record<string, string> = {
  disabled: 'disabled',
  time_window: 'inside a time window',
  local_only: 'local only is on',
  key_missing: 'its API key is not set',
  model_missing: 'model missing',
  auth_failed: 'key refused',
  quota_exhausted: 'quota spent',
  over_budget: 'over budget',
  context_too_small: 'context window too small',
  capability_missing: 'lacks a capability',
  circuit_open: 'circuit open',
  probe_in_flight: 'being probed',
  cooling: 'rate limited',
  busy: 'busy',
};

export function DecisionList({ decision }: { decision: Decision }) {
  return (
    <div data-testid="decision">
      <div className="muted" style={{ marginBottom: 6 }}>
        Route <code>{decision.route}</code>
        {decision.alias ? <> via alias <code>{decision.alias}</code></> : null}
        {decision.rule ? <> by rule <code>{decision.rule}</code></> : null}
        {' · '}strategy {decision.strategy}
        {decision.cached ? ' · answered from the cache' : ''}
        {decision.sticky ? <> · <code>{decision.sticky}</code> first: it answered this session last</> : null}
        {decision.deferred?.length ? <> · {names(decision.deferred)} last: the requests in flight would spend its budget</> : null}
        {decision.cold?.length ? <> · {names(decision.cold)} after the others: its model was not in memory, and was being loaded</> : null}
        {decision.cut?.length ? <> · {names(decision.cut)} read the input cut to its window, as the client allowed: tried after any that read it whole</> : null}
      </div>
      <ol className="timeline">
        {decision.steps.map((step, i) => (
          <li key={i}>
            <Badge tone={step.outcome === 'ok' ? 'ok' : step.outcome === 'failed' ? 'bad' : 'warn'}>{step.outcome === 'ok' ? 'answered' : step.outcome === 'failed' ? `failed: ${step.reason ?? ''}` : `skipped: ${REASONS[step.reason ?? ''] ?? step.reason}`}</Badge>{' '}
            <strong>{step.deployment}</strong>{' '}
            <span className="muted">
              {step.ms !== undefined ? duration(step.ms) : ''}
              {step.status ? ` · HTTP ${step.status}` : ''}
              {step.message ? ` · ${step.message}` : ''}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

const names = (list: string[]) => list.map((d, i) => <span key={d}>{i > 0 ? ', ' : ''}<code>{d}</code></span>);
