/** Routes and deployments: fallback order (drag or keyboard), retry settings, deployment editing with time windows and pricing. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { deploymentMutations, routeMutations } from '../../api/mutations';
import { configQueries } from '../../api/queries';
import type { DeploymentConfig, RouteConfig } from '../../api/types';
import { Badge, Card, Empty, ErrorNote, Field, Loading } from '../../ui/parts';
import { RouteOrder } from './route-order';
import { TimeWindowEditor } from './time-window-editor';

export function RoutesPage() {
  const routes = useQuery(configQueries.routes());
  const deployments = useQuery(configQueries.deployments());
  const [editing, setEditing] = useState<DeploymentConfig | 'new' | null>(null);
  if (routes.isPending || deployments.isPending) return <Loading what="routes" />;
  if (routes.isError) return <ErrorNote error={routes.error} />;
  if (deployments.isError) return <ErrorNote error={deployments.error} />;
  const byName = new Map(deployments.data.map((d) => [d.name, d]));
  return (
    <>
      <h1>Routes & deployments</h1>
      <p className="sub">A route is what a tool names as its model; its deployments are tried in order until one answers.</p>
      <div className="grid cols-2">
        <div className="grid">
          {routes.data.length === 0 ? <Empty>No routes yet.</Empty> : null}
          {routes.data.map((route) => (
            <RouteCard key={route.name} route={route} describe={(name) => { const d = byName.get(name); return d ? `${d.provider} · ${d.model}` : ''; }} />
          ))}
          <NewRoute deployments={deployments.data} />
        </div>
        <div className="grid">
          <Card title="Deployments" actions={<button className="primary" onClick={() => setEditing('new')}>Add deployment</button>}>
            {deployments.data.length === 0 ? <Empty>No deployments yet: add one for a model on a provider.</Empty> : null}
            <table>
              <tbody>
                {deployments.data.map((d) => (
                  <tr key={d.name}>
                    <td><strong>{d.name}</strong><div className="muted">{d.provider} · {d.model}</div></td>
                    <td>{d.enabled === false ? <Badge tone="warn">disabled</Badge> : null} {d.timeWindows?.length ? <Badge tone="info">{d.timeWindows.length} window(s)</Badge> : null}</td>
                    <td style={{ textAlign: 'right' }}><button onClick={() => setEditing(d)}>Edit</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          {editing ? <DeploymentForm key={editing === 'new' ? 'new' : editing.name} initial={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} /> : null}
        </div>
      </div>
    </>
  );
}

function RouteCard({ route, describe }: { route: RouteConfig; describe: (name: string) => string }) {
  const client = useQueryClient();
  const [order, setOrder] = useState(route.deployments);
  const [retry, setRetry] = useState({ attempts: String(route.retry?.attempts ?? 1), deadlineMs: route.deadlineMs ? String(route.deadlineMs) : '' });
  useEffect(() => setOrder(route.deployments), [route.deployments]);
  const saveOrder = useMutation(routeMutations.reorder(client, route.name));
  const saveRetry = useMutation(routeMutations.update(client, route.name));
  const remove = useMutation(routeMutations.remove(client));
  const { deadlineMs: _deadline, ...withoutDeadline } = route;
  const retried = (): RouteConfig => ({
    ...withoutDeadline,
    retry: { ...route.retry, attempts: Number(retry.attempts) },
    ...(retry.deadlineMs ? { deadlineMs: Number(retry.deadlineMs) } : {}),
  });
  const changed = order.join() !== route.deployments.join();
  const fields = saveRetry.error instanceof ApiError ? saveRetry.error.fields : {};
  return (
    <Card title={<>Route <code>{route.name}</code></>} actions={<button className="danger" onClick={() => remove.mutate(route.name)}>Delete</button>}>
      <RouteOrder items={order} onChange={setOrder} describe={describe} />
      <div className="row" style={{ marginTop: 10 }}>
        <button className="primary" disabled={!changed || saveOrder.isPending} onClick={() => saveOrder.mutate(order)}>Save order</button>
        {changed ? <span className="muted">Unsaved order</span> : saveOrder.isSuccess ? <span className="muted">Saved: traffic follows the new order</span> : null}
      </div>
      {saveOrder.isError ? <ErrorNote error={saveOrder.error} /> : null}
      {remove.isError ? <ErrorNote error={remove.error} /> : null}
      <details style={{ marginTop: 10 }}>
        <summary>Retry and deadline</summary>
        <div className="form-grid" style={{ marginTop: 8 }}>
          <Field label="Attempts per deployment" error={fields['retry.attempts']}>
            <input value={retry.attempts} onChange={(e) => setRetry({ ...retry, attempts: e.target.value })} inputMode="numeric" />
          </Field>
          <Field label="Deadline (ms, empty for none)" error={fields.deadlineMs}>
            <input value={retry.deadlineMs} onChange={(e) => setRetry({ ...retry, deadlineMs: e.target.value })} inputMode="numeric" />
          </Field>
        </div>
        <button onClick={() => saveRetry.mutate(retried())}>Save retry settings</button>
        {saveRetry.isError && Object.keys(fields).length === 0 ? <ErrorNote error={saveRetry.error} /> : null}
      </details>
    </Card>
  );
}

function NewRoute({ deployments }: { deployments: DeploymentConfig[] }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const create = useMutation(routeMutations.create(client));
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
      <div data-testid="new-route">
      <Field label="Name (what tools send as model)" error={fields.name}>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="coder" />
      </Field>
      <Field label="Deployments, in fallback order" error={fields.deployments}>
        <div className="row">
          {deployments.map((d) => (
            <label key={d.name} className="row" style={{ gap: 4 }}>
              <input type="checkbox" checked={chosen.includes(d.name)} onChange={(e) => setChosen(e.target.checked ? [...chosen, d.name] : chosen.filter((c) => c !== d.name))} />
              {d.name}
            </label>
          ))}
        </div>
      </Field>
      <button className="primary" disabled={!name || chosen.length === 0} onClick={submit}>Create route</button>
      {create.isError && Object.keys(fields).length === 0 ? <ErrorNote error={create.error} /> : null}
      </div>
    </Card>
  );
}

function DeploymentForm({ initial, onDone }: { initial: DeploymentConfig | undefined; onDone: () => void }) {
  const client = useQueryClient();
  const providers = useQuery(configQueries.providers());
  const [draft, setDraft] = useState<DeploymentConfig>(initial ?? { name: '', provider: '', model: '', type: 'chat' });
  const models = useQuery({ ...configQueries.models(draft.provider), enabled: draft.provider !== '' });
  const save = useMutation(deploymentMutations.save(client, initial?.name ?? null));
  const remove = useMutation(deploymentMutations.remove(client));
  const fields = save.error instanceof ApiError ? save.error.fields : {};
  // Editing clears the last save's errors; what the user typed stays.
  const set = (patch: Partial<DeploymentConfig>) => {
    if (save.isError) save.reset();
    setDraft({ ...draft, ...patch });
  };
  return (
    <Card title={initial ? `Edit ${initial.name}` : 'New deployment'}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft, { onSuccess: onDone });
        }}
      >
        <div className="form-grid">
          <Field label="Name" error={fields.name}>
            <input value={draft.name} onChange={(e) => set({ name: e.target.value })} aria-label="Deployment name" />
          </Field>
          <Field label="Provider" error={fields.provider}>
            <select value={draft.provider} onChange={(e) => set({ provider: e.target.value })} aria-label="Provider">
              <option value="">Choose...</option>
              {providers.data?.map((p) => <option key={p.name} value={p.name}>{p.name} ({p.kind})</option>)}
            </select>
          </Field>
          <Field label={models.data?.error ? 'Model (discovery failed: type it)' : 'Model'} error={fields.model}>
            <input value={draft.model} onChange={(e) => set({ model: e.target.value })} list="discovered-models" aria-label="Model" />
            <datalist id="discovered-models">{models.data?.models.map((m) => <option key={m} value={m} />)}</datalist>
          </Field>
          <Field label="Type" error={fields.type}>
            <select value={draft.type ?? 'chat'} onChange={(e) => set({ type: e.target.value as 'chat' | 'embedding' })}>
              <option value="chat">chat</option>
              <option value="embedding">embedding</option>
            </select>
          </Field>
          <Field label="Input $ per 1M tokens" error={fields['pricing.inputPerMTok']}>
            <input value={draft.pricing?.inputPerMTok ?? ''} inputMode="decimal" onChange={(e) => set({ pricing: e.target.value === '' ? undefined : { inputPerMTok: Number(e.target.value), outputPerMTok: draft.pricing?.outputPerMTok ?? 0 } })} />
          </Field>
          <Field label="Output $ per 1M tokens" error={fields['pricing.outputPerMTok']}>
            <input value={draft.pricing?.outputPerMTok ?? ''} inputMode="decimal" onChange={(e) => set({ pricing: { inputPerMTok: draft.pricing?.inputPerMTok ?? 0, outputPerMTok: Number(e.target.value) } })} />
          </Field>
        </div>
        <label className="row" style={{ marginBottom: 10 }}>
          <input type="checkbox" checked={draft.enabled !== false} onChange={(e) => set({ enabled: e.target.checked ? undefined : false })} /> Enabled
        </label>
        <TimeWindowEditor
          windows={draft.timeWindows ?? []}
          timeZone={draft.timeZone ?? ''}
          errors={fields}
          onChange={(timeWindows, timeZone) => set({ timeWindows: timeWindows.length ? timeWindows : undefined, timeZone: timeZone || undefined })}
        />
        {save.isError ? <div className="notice bad" role="alert">{Object.keys(fields).length > 0 ? 'Fix the highlighted fields: nothing was saved.' : save.error.message}</div> : null}
        <div className="row" style={{ marginTop: 12 }}>
          <button className="primary" type="submit" disabled={save.isPending}>Save</button>
          <button type="button" onClick={onDone}>Cancel</button>
          {initial ? <button type="button" className="danger" onClick={() => remove.mutate(initial.name, { onSuccess: onDone })}>Delete</button> : null}
        </div>
        {remove.isError ? <ErrorNote error={remove.error} /> : null}
      </form>
    </Card>
  );
}
