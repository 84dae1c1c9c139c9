/** Overview: where to point tools, today's numbers, health with breakers, latency over time, recent failures, breaker events. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { configQueries, settingsMutations } from '../../api/queries/config';
import { breakerMutations, healthQueries } from '../../api/queries/health';
import { ModelMemoryButton } from '../routing/model-memory-button';
import { PullButton } from '../routing/pull-button';
import { BreakerEvents } from './breaker-events';
import { GettingStarted } from './getting-started';
import { LatencyChart } from './latency-chart';
import { RecentFailures } from './recent-failures';
import { liveStates, MemoryBadge } from '../routing/live-state';
import { usageQueries } from '../../api/queries/usage';
import type { ProbeSample } from '../../api/types';
import { Badge, Card, counted, ErrorNote, errorText, Loading, Meter, money, percent, Snippet, Stat, statusTone, useLiveError, when } from '../../ui/parts';
import { Tabs } from '../../ui/tabs';
import { StackedTable } from '../../ui/stacked-table';
import { CopyButton } from '../../ui/copy-button';

export function OverviewPage() {
  return (
    <>
      <h1>Overview</h1>
      <p className="sub">One URL for every tool; Switchyard picks the model.</p>
      <LocalOnlyNotice />
      <GettingStarted />
      <Connect />
      <Today />
      <Budgets />
      <div className="grid cols-2">
        <HealthCard />
        <LatencyChart />
      </div>
      <div style={{ height: 16 }} />
      <RecentFailures />
      <div style={{ height: 16 }} />
      <BreakerEvents />
    </>
  );
}

/** Local only (set here, in Settings or in the desktop app's tray) changes where every request may go: said first. */
function LocalOnlyNotice() {
  const health = useQuery(healthQueries.now());
  const client = useQueryClient();
  const turnOff = useMutation(settingsMutations.localOnly(client));
  const turnOffError = useLiveError(turnOff.error);
  if (!health.data?.localOnly) return null;
  return (
    <div className="notice warn spread" role="status" style={{ marginBottom: 16 }} data-testid="local-only">
      <span>Local only is on: no request goes to a cloud provider; cloud deployments are skipped.{turnOffError ? ` ${errorText(turnOffError)}` : ''}</span>
      <button onClick={() => turnOff.mutate(false)} disabled={turnOff.isPending}>Turn off</button>
    </div>
  );
}

function Connect() {
  const origin = window.location.origin;
  const [tab, setTab] = useState('curl');
  // A model this config has, and a key where one is required: a snippet that works as pasted.
  const basics = useQuery(configQueries.clients());
  const model = basics.data?.models[0] ?? '<model>';
  const keyed = basics.data?.keyRequired ?? false;
  const key = keyed ? '<your client key>' : 'local';
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello' }] });
  const snippets: Record<string, string> = {
    curl: `curl ${origin}/v1/chat/completions \\\n  -H 'content-type: application/json' \\\n${keyed ? `  -H 'authorization: Bearer ${key}' \\\n` : ''}  -d '${body}'`,
    'OpenAI SDK': `import OpenAI from 'openai';\nconst client = new OpenAI({ baseURL: '${origin}/v1', apiKey: '${key}' });\nconst answer = await client.chat.completions.create({ model: '${model}', messages: [{ role: 'user', content: 'Hello' }] });`,
    env: `export OPENAI_BASE_URL=${origin}/v1\nexport OPENAI_API_KEY=${keyed ? `'${key}'` : key}`,
    Ollama: `import { Ollama } from 'ollama';\nconst ollama = new Ollama({ host: '${origin}'${keyed ? `, headers: { authorization: 'Bearer ${key}' }` : ''} });\nawait ollama.chat({ model: '${model}', messages: [{ role: 'user', content: 'Hello' }] });`,
  };
  return (
    <div className="card" style={{ marginBottom: 16 }}>
      <div className="spread">
        <div>
          <div className="muted" style={{ fontSize: 12 }}>OpenAI base URL</div>
          <code style={{ fontSize: 16 }} data-testid="base-url">{origin}/v1</code>
        </div>
        <CopyButton className="primary" text={`${origin}/v1`}>Copy base URL</CopyButton>
      </div>
      <div style={{ marginTop: 12 }}>
        <Tabs names={Object.keys(snippets)} chosen={tab} onChoose={setTab} label="The base URL in use">
          <Snippet>{snippets[tab]}</Snippet>
        </Tabs>
      </div>
    </div>
  );
}

function Today() {
  const overview = useQuery(usageQueries.overview());
  if (overview.isPending) return <Loading what="today's numbers" />;
  if (overview.isError) return <ErrorNote error={overview.error} />;
  const o = overview.data;
  return (
    <div className="stats">
      <Stat label="Requests today" value={o.requests.toLocaleString('en-US')} />
      <Stat label="Fallback rate" value={percent(o.fallbackRate)} hint="Answered by a later deployment: the first failed or was down" />
      <Stat label="Cache hit rate" value={percent(o.cacheHitRate)} />
      <Stat label="Cost today" value={money(o.cost)} />
      <Stat label="Saved by local and cache" value={money(o.saved)} hint={`Would have cost ${money(o.wouldCost)}, local answers at ${o.comparedWith}'s price`} />
      {o.todayByTool.length > 0 ? (
        <div className="by-tool muted" data-testid="today-by-tool">
          Today by tool:{' '}
          {o.todayByTool.map((t, i) => (
            <span key={t.tool ?? ''}>
              {i > 0 ? ' · ' : null}
              {t.tool ? <a href={`/usage?${new URLSearchParams({ tool: t.tool })}`}>{t.tool}</a> : 'unnamed'} {counted(t.requests, 'request')}, {money(t.cost)}
            </span>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** Each budget's spend in its current period, and when it resets; nothing when none are set. */
function Budgets() {
  const health = useQuery(healthQueries.now());
  const budgets = health.data?.budgets ?? [];
  if (budgets.length === 0) return null;
  return (
    <div style={{ marginBottom: 16 }}>
      <Card title="Budgets">
        {budgets.map((b) => (
          <Meter
            key={b.name}
            label={`${b.name} (${b.scope}, per ${b.period})`}
            fraction={b.fraction}
            detail={`${money(b.spentUsd)} of ${money(b.limitUsd)}${b.inFlightUsd > 0 ? ` (${money(b.inFlightUsd)} more in flight)` : ''}${b.exceeded ? (b.onExceeded === 'refuse' ? ' · spent: refusing' : ' · spent: local and free only') : ''} · resets ${when(b.resetsAt)}`}
          />
        ))}
      </Card>
    </div>
  );
}

function HealthCard() {
  const health = useQuery(healthQueries.now());
  const history = useQuery(healthQueries.history());
  const client = useQueryClient();
  const reset = useMutation(breakerMutations.reset(client));
  if (health.isPending) return <Card title="Health"><Loading what="health" /></Card>;
  if (health.isError) return <Card title="Health"><ErrorNote error={health.error} /></Card>;
  const kinds = new Map(health.data.providers.map((p) => [p.name, p.kind]));
  const live = liveStates(health.data);
  return (
    <Card title="Health" actions={<Badge tone={statusTone(health.data.status)}>{health.data.status}</Badge>}>
      {health.data.storeError ? (
        <div className="notice bad" role="alert" data-testid="store-error">
          Requests are answered, but the store cannot be written: {health.data.storeError}
        </div>
      ) : null}
      <StackedTable>
        <thead>
          <tr><th>Provider</th><th>Status</th><th>Latency (24 h)</th></tr>
        </thead>
        <tbody>
          {health.data.providers.map((p) => (
            <tr key={p.name}>
              <td data-label="Provider">
                <strong>{p.name}</strong> <span className="muted">{p.kind}</span>
                {p.reason || p.probe?.error ? <div className="field-error">{p.reason ?? p.probe?.error}</div> : null}
              </td>
              <td data-label="Status"><Badge tone={statusTone(p.status)}>{p.status}</Badge></td>
              <td data-label="Latency (24 h)"><Sparkline samples={history.data?.[p.name] ?? []} probesOff={p.probeIntervalMs === 0} /></td>
            </tr>
          ))}
        </tbody>
      </StackedTable>
      <StackedTable>
        <thead>
          <tr><th>Deployment</th><th>Status</th><th>Breaker</th></tr>
        </thead>
        <tbody>
          {health.data.deployments.map((d) => (
            <tr key={d.name}>
              <td data-label="Deployment">
                <strong>{d.name}</strong> <span className="muted">{d.model}</span>
                {d.modelAvailable === false ? (
                  // Only Ollama's list is what it can run; a cloud list is a hint, and the router still tries the model.
                  kinds.get(d.provider) === 'ollama' ? (
                    <div className="field-error">Not installed in {d.provider}{d.modelMeant ? ` (it has ${d.modelMeant}: the one meant?)` : ''}: Pull it, or run "ollama pull {d.model}" there</div>
                  ) : (
                    <div className="field-warning">Not in {d.provider}'s model list: {d.modelMeant ? `did you mean ${d.modelMeant}?` : 'check the model name'}</div>
                  )
                ) : null}
              </td>
              <td data-label="Status">
                {/* "probing" covers a breaker that waits for a request to try it: said as the breaker's column says it. */}
                <Badge tone={statusTone(d.status)}>{d.status === 'probing' && d.breaker.state === 'open' ? 'cooled down' : d.status}</Badge> <MemoryBadge deployment={live.get(d.name)} /> <ModelMemoryButton deployment={live.get(d.name)} /> <PullButton deployment={live.get(d.name)} />
              </td>
              <td data-label="Breaker">
                <div className="row">
                  <Badge tone={statusTone(d.breaker.state)}>{d.breaker.state}</Badge>
                  {d.breaker.openUntil ? <span className="muted">{Date.parse(d.breaker.openUntil) > Date.now() ? `until ${new Date(d.breaker.openUntil).toLocaleTimeString()}` : 'cooled down: its next request tries it'}</span> : null}
                  {d.breaker.state !== 'closed' || d.breaker.coolingUntil ? (
                    <button onClick={() => reset.mutate(d.name)} disabled={reset.isPending}>Reset</button>
                  ) : null}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </StackedTable>
    </Card>
  );
}

function Sparkline({ samples, probesOff }: { samples: ProbeSample[]; probesOff: boolean }) {
  const points = samples.filter((s) => s.ok && s.latencyMs !== null);
  if (samples.length === 0) return <span className="muted">{probesOff ? 'probes off' : 'no probes yet'}</span>;
  if (points.length === 0) return <span className="muted">{samples.length === 1 ? 'its probe failed' : `all ${samples.length} probes failed`}</span>;
  if (points.length === 1) return <span className="muted">{Math.round(points[0]?.latencyMs as number)} ms</span>;
  const max = Math.max(...points.map((p) => p.latencyMs as number), 1);
  const path = points.map((p, i) => `${(i / (points.length - 1)) * 100},${20 - ((p.latencyMs as number) / max) * 18}`).join(' ');
  const last = points[points.length - 1] as ProbeSample;
  return (
    <span className="row" title={`latest ${Math.round(last.latencyMs as number)} ms`}>
      <svg width="100" height="22" viewBox="0 0 100 22" aria-hidden="true">
        <polyline points={path} fill="none" stroke="var(--accent)" strokeWidth="1.5" />
      </svg>
      <span className="muted">{Math.round(last.latencyMs as number)} ms</span>
    </span>
  );
}
