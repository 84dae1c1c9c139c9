/**
 * Routes and deployments: fallback order (drag or keyboard) with each deployment's live state
 * (usable, blocked, open, rate limited, over budget, its context window, in memory), strategy, rules
 * (route-rules.tsx) and retry, fallback and breaker settings (route-retry.tsx), and the deployments,
 * each edited in deployment-form.tsx.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { routeMutations, configQueries } from '../../api/queries/config';
import { connectQueries } from '../../api/queries/connect';
import { healthQueries } from '../../api/queries/health';
import type { DeploymentConfig, RouteConfig, RoutePatch } from '../../api/types';
import { ModelMemoryButton } from '../routing/model-memory-button';
import { PullButton } from '../routing/pull-button';
import { LiveState, liveStates, type LiveDeployment } from '../routing/live-state';
import { Badge, Card, ConfirmButton, counted, Empty, ErrorNote, Field, FieldGroup, Loading } from '../../ui/parts';
import { AliasesCard, aliasesGoing } from './aliases-card';
import { RouteRename } from './route-rename';
import { RouteRules } from './route-rules';
import { RouteWeights } from './route-weights';
import { RouteOrder } from './route-order';
import { DeploymentForm, deploymentLabel } from './deployment-form';
import { useOpenForm, useUnsaved } from '../../ui/unsaved';
import { RouteRetry } from './route-retry';
import { StackedTable } from '../../ui/stacked-table';

export function RoutesPage() {
  const routes = useQuery(configQueries.routes());
  const deployments = useQuery(configQueries.deployments());
  const health = useQuery(healthQueries.now());
  const [editing, edit] = useOpenForm<DeploymentConfig | 'new'>((d) => deploymentLabel(d === 'new' ? undefined : d));
  if (routes.isPending || deployments.isPending) return <Loading what="routes" />;
  if (routes.isError) return <ErrorNote error={routes.error} />;
  if (deployments.isError) return <ErrorNote error={deployments.error} />;
  const byName = new Map(deployments.data.map((d) => [d.name, d]));
  const live = liveStates(health.data);
  return (
    <>
      <h1>Routes & deployments</h1>
      <p className="sub">A route is what a tool names as its model; its deployments are tried in order until one answers.</p>
      <div className="grid cols-2">
        <div className="grid">
          {routes.data.length === 0 ? <Empty>No routes yet.</Empty> : null}
          {routes.data.map((route) => (
            <RouteCard key={route.name} route={route} routes={routes.data.map((r) => r.name)} live={live} describe={(name) => { const d = byName.get(name); return d ? `${d.provider} · ${d.model}` : ''; }} />
          ))}
          <NewRoute deployments={deployments.data} />
          <AliasesCard targets={[...routes.data.map((r) => r.name), ...deployments.data.map((d) => d.name)]} />
        </div>
        <div className="grid">
          <Card title="Deployments" actions={<button className="primary" onClick={() => edit('new')}>Add deployment</button>}>
            {deployments.data.length === 0 ? <Empty>No deployments yet: add one for a model on a provider.</Empty> : null}
            <StackedTable>
              <tbody>
                {deployments.data.map((d) => (
                  <tr key={d.name}>
                    <td><strong>{d.name}</strong><div className="muted">{d.provider} · {d.model}</div></td>
                    <td>{d.timeWindows?.length ? <Badge tone="info">{counted(d.timeWindows.length, 'time window')}</Badge> : null} <LiveState deployment={live.get(d.name)} /> <ModelMemoryButton deployment={live.get(d.name)} /> <PullButton deployment={live.get(d.name)} offerUpdate /></td>
                    <td style={{ textAlign: 'right' }}><button onClick={() => edit(d)}>Edit</button></td>
                  </tr>
                ))}
              </tbody>
            </StackedTable>
          </Card>
          {editing ? <DeploymentForm key={editing === 'new' ? 'new' : editing.name} initial={editing === 'new' ? undefined : editing} onDone={() => edit(null)} /> : null}
        </div>
      </div>
    </>
  );
}

const STRATEGIES: { value: NonNullable<RouteConfig['strategy']>; label: string }[] = [
  { value: 'ordered', label: 'In this order' },
  { value: 'lowest-latency', label: 'Lowest latency (recent live traffic)' },
  { value: 'lowest-cost', label: 'Lowest cost (local first)' },
  { value: 'weighted', label: 'Weighted (random, by the weights below)' },
];

function RouteCard({ route, routes, describe, live }: { route: RouteConfig; routes: string[]; describe: (name: string) => string; live: Map<string, LiveDeployment> }) {
  const client = useQueryClient();
  const [order, setOrder] = useState(route.deployments);
  useEffect(() => setOrder(route.deployments), [route.deployments]);
  const saveOrder = useMutation(routeMutations.reorder(client, route.name));
  const saveRetry = useMutation(routeMutations.patch(client, route.name));
  const remove = useMutation(routeMutations.remove(client));
  const [renaming, setRenaming] = useState(false);
  // The tools whose settings ask for this route, by its name or an alias of it (its old name after a
  // rename): deleted, with its aliases, each of their requests is refused.
  const connections = (useQuery(connectQueries.guides('')).data?.connections ?? []).filter((c) => c.state === 'here');
  const aliases = (useQuery(configQueries.aliases()).data ?? []).filter((a) => a.target === route.name).map((a) => a.alias);
  const askers = connections.filter((c) => c.route === route.name).map((c) => c.tool);
  const losers = connections.filter((c) => c.route !== null && (c.route === route.name || aliases.includes(c.route))).map((c) => c.tool);
  const deleting = [
    `Delete ${route.name}?`,
    aliasesGoing(aliases),
    losers.length > 0 ? `${losers.join(' and ')} ${losers.length > 1 ? 'ask' : 'asks'} for it` : '',
  ].filter(Boolean).join(' ');
  const changed = order.join() !== route.deployments.join();
  useUnsaved(`the order of route ${route.name}`, changed);
  return (
    <Card
      title={<>Route <code>{route.name}</code></>}
      actions={
        <div className="row">
          <button aria-label={`Rename route ${route.name}`} onClick={() => setRenaming(true)} disabled={renaming}>Rename</button>
          <ConfirmButton label={`Delete route ${route.name}`} confirm={deleting} onConfirm={() => remove.mutate(route.name)}>Delete</ConfirmButton>
        </div>
      }
    >
      {renaming ? <RouteRename route={route} askers={askers} onClose={() => setRenaming(false)} /> : null}
      <RouteOrder items={order} onChange={setOrder} describe={describe} state={(name) => <LiveState deployment={live.get(name)} />} />
      <div className="row" style={{ marginTop: 8 }}>
        <label className="row" style={{ gap: 6 }}>
          <span className="muted">Strategy</span>
          <select value={route.strategy ?? 'ordered'} aria-label={`Strategy of ${route.name}`} onChange={(e) => saveRetry.mutate({ strategy: e.target.value as RouteConfig['strategy'] })}>
            {STRATEGIES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </label>
        <RouteFlag route={route} field="stickySessions" label="Keep each session on one deployment" title="Claude Code's and Codex's sessions (or x-switchyard-session) stay on the deployment that last answered them while it is usable; forgotten after 30 idle minutes" save={(patch, onError) => saveRetry.mutate(patch, { onError })} />
        <RouteFlag route={route} field="cache" label="Cache every answer" title="A request made again (the same messages and parameters, from the same client key) is answered from the cache; without this, only temperature-0 requests are" save={(patch, onError) => saveRetry.mutate(patch, { onError })} />
      </div>
      {route.strategy === 'weighted' ? <RouteWeights route={route} /> : null}
      <div className="row" style={{ marginTop: 10 }}>
        <button className="primary" disabled={!changed || saveOrder.isPending} onClick={() => saveOrder.mutate(order)}>Save order</button>
        {changed ? <span className="muted">Unsaved order</span> : saveOrder.isSuccess ? <span className="muted">Saved: traffic follows the new order</span> : null}
      </div>
      {saveOrder.isError ? <ErrorNote error={saveOrder.error} /> : null}
      {remove.isError ? <ErrorNote error={remove.error} /> : null}
      <RouteRules route={route} routes={routes} />
      <RouteRetry route={route} />
      {saveRetry.isError ? <ErrorNote error={saveRetry.error} /> : null}
    </Card>
  );
}

/** A route's yes-or-no setting: shown ticked at once, not only once the saved route comes back, and saved as a patch (unticked: removed). */
function RouteFlag({ route, field, label, title, save }: { route: RouteConfig; field: 'stickySessions' | 'cache'; label: string; title: string; save: (patch: RoutePatch, onError: () => void) => void }) {
  const saved = route[field] === true;
  const [on, setOn] = useState(saved);
  useEffect(() => setOn(saved), [saved]);
  return (
    <label className="row" style={{ gap: 6 }} title={title}>
      <input type="checkbox" checked={on} onChange={(e) => { setOn(e.target.checked); save({ [field]: e.target.checked ? true : null }, () => setOn(saved)); }} />
      {label}
    </label>
  );
}

function NewRoute({ deployments }: { deployments: DeploymentConfig[] }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const create = useMutation(routeMutations.create(client));
  useUnsaved('the new route', name !== '' || chosen.length > 0);
  const submit = () =>
    create.mutate(
      { name, deployments: chosen },
      {
        onSuccess: () => {
          setName('');
          setChosen([]);
        },
      },
    );
  const fields = create.error instanceof ApiError ? create.error.fields : {};
  return (
    <Card title="New route">
      {/* A form: Enter in the name creates the route, once it has a deployment. */}
      <form data-testid="new-route" onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <Field label="Name (what tools send as model)" error={fields.name}>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="coder" />
        </Field>
        <FieldGroup label="Deployments, in fallback order" error={fields.deployments}>
          <div className="row">
            {deployments.map((d) => (
              <label key={d.name} className="row" style={{ gap: 4 }}>
                <input type="checkbox" checked={chosen.includes(d.name)} onChange={(e) => setChosen(e.target.checked ? [...chosen, d.name] : chosen.filter((c) => c !== d.name))} />
                {d.name}
              </label>
            ))}
          </div>
        </FieldGroup>
        <button className="primary" type="submit" disabled={!name || chosen.length === 0}>Create route</button>
        {create.isError && Object.keys(fields).length === 0 ? <ErrorNote error={create.error} /> : null}
      </form>
    </Card>
  );
}
