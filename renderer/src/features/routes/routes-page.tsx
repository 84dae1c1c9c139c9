/**
 * Routes and deployments: fallback order (drag or keyboard) with each deployment's live state
 * (usable, blocked, open, rate limited, over budget, its context window), strategy, rules (route-rules.tsx) and retry
 * settings, deployment editing with time windows, pricing and context.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { deploymentMutations, routeMutations, configQueries } from '../../api/queries/config';
import { healthQueries } from '../../api/queries/health';
import type { DeploymentConfig, RouteConfig, RoutePatch } from '../../api/types';
import { LoadButton } from '../routing/load-button';
import { LiveState, liveStates, type LiveDeployment } from '../routing/live-state';
import { Badge, Card, ConfirmButton, Empty, ErrorNote, Field, Loading } from '../../ui/parts';
import { AliasesCard } from './aliases-card';
import { RouteRules } from './route-rules';
import { RouteOrder } from './route-order';
import { TimeWindowEditor } from './time-window-editor';

export function RoutesPage() {
  const routes = useQuery(configQueries.routes());
  const deployments = useQuery(configQueries.deployments());
  const health = useQuery(healthQueries.now());
  const [editing, setEditing] = useState<DeploymentConfig | 'new' | null>(null);
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
          <Card title="Deployments" actions={<button className="primary" onClick={() => setEditing('new')}>Add deployment</button>}>
            {deployments.data.length === 0 ? <Empty>No deployments yet: add one for a model on a provider.</Empty> : null}
            <table>
              <tbody>
                {deployments.data.map((d) => (
                  <tr key={d.name}>
                    <td><strong>{d.name}</strong><div className="muted">{d.provider} · {d.model}</div></td>
                    <td>{d.timeWindows?.length ? <Badge tone="info">{d.timeWindows.length} window(s)</Badge> : null} <LiveState deployment={live.get(d.name)} /> <LoadButton deployment={live.get(d.name)} /></td>
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

const STRATEGIES: { value: NonNullable<RouteConfig['strategy']>; label: string }[] = [
  { value: 'ordered', label: 'In this order' },
  { value: 'lowest-latency', label: 'Lowest latency (recent live traffic)' },
  { value: 'lowest-cost', label: 'Lowest cost (local first)' },
  { value: 'weighted', label: 'Weighted (weights in the config file)' },
];

function RouteCard({ route, routes, describe, live }: { route: RouteConfig; routes: string[]; describe: (name: string) => string; live: Map<string, LiveDeployment> }) {
  const client = useQueryClient();
  const [order, setOrder] = useState(route.deployments);
  const [retry, setRetry] = useState({ attempts: String(route.retry?.attempts ?? 1), deadlineMs: route.deadlineMs ? String(route.deadlineMs) : '' });
  useEffect(() => setOrder(route.deployments), [route.deployments]);
  // Shown ticked at once, not only once the saved route comes back.
  const [keepSessions, setKeepSessions] = useState(route.stickySessions === true);
  useEffect(() => setKeepSessions(route.stickySessions === true), [route.stickySessions]);
  const saveOrder = useMutation(routeMutations.reorder(client, route.name));
  const saveRetry = useMutation(routeMutations.patch(client, route.name));
  const remove = useMutation(routeMutations.remove(client));
  const retried = (): RoutePatch => ({ retry: { attempts: Number(retry.attempts) }, deadlineMs: retry.deadlineMs ? Number(retry.deadlineMs) : null });
  const changed = order.join() !== route.deployments.join();
  const fields = saveRetry.error instanceof ApiError ? saveRetry.error.fields : {};
  return (
    <Card title={<>Route <code>{route.name}</code></>} actions={<ConfirmButton label={`Delete route ${route.name}`} confirm={`Delete ${route.name}?`} onConfirm={() => remove.mutate(route.name)}>Delete</ConfirmButton>}>
      <RouteOrder items={order} onChange={setOrder} describe={describe} state={(name) => <LiveState deployment={live.get(name)} />} />
      <div className="row" style={{ marginTop: 8 }}>
        <label className="row" style={{ gap: 6 }}>
          <span className="muted">Strategy</span>
          <select value={route.strategy ?? 'ordered'} aria-label={`Strategy of ${route.name}`} onChange={(e) => saveRetry.mutate({ strategy: e.target.value as RouteConfig['strategy'] })}>
            {STRATEGIES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </label>
        <label className="row" style={{ gap: 6 }} title="Claude Code's and Codex's sessions (or x-switchyard-session) stay on the deployment that last answered them while it is usable; forgotten after 30 idle minutes">
          <input
            type="checkbox"
            checked={keepSessions}
            onChange={(e) => {
              setKeepSessions(e.target.checked);
              saveRetry.mutate({ stickySessions: e.target.checked ? true : null }, { onError: () => setKeepSessions(route.stickySessions === true) });
            }}
          />
          Keep each session on one deployment
        </label>
      </div>
      <div className="row" style={{ marginTop: 10 }}>
        <button className="primary" disabled={!changed || saveOrder.isPending} onClick={() => saveOrder.mutate(order)}>Save order</button>
        {changed ? <span className="muted">Unsaved order</span> : saveOrder.isSuccess ? <span className="muted">Saved: traffic follows the new order</span> : null}
      </div>
      {saveOrder.isError ? <ErrorNote error={saveOrder.error} /> : null}
      {remove.isError ? <ErrorNote error={remove.error} /> : null}
      <RouteRules route={route} routes={routes} />
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
  // Numbers are kept as typed ("0." on the way to "0.4", an emptied field) and read on Save.
  const [numbers, setNumbers] = useState<Record<NumberField, string>>(() => ({
    inputPerMTok: String(initial?.pricing?.inputPerMTok ?? ''),
    outputPerMTok: String(initial?.pricing?.outputPerMTok ?? ''),
    cacheReadPerMTok: String(initial?.pricing?.cacheReadPerMTok ?? ''),
    cacheWritePerMTok: String(initial?.pricing?.cacheWritePerMTok ?? ''),
    contextWindow: String(initial?.contextWindow ?? ''),
    maxOutputTokens: String(initial?.maxOutputTokens ?? ''),
    maxNumCtx: String(initial?.maxNumCtx ?? ''),
  }));
  const [typos, setTypos] = useState<Record<string, string>>({});
  const models = useQuery({ ...configQueries.models(draft.provider), enabled: draft.provider !== '' });
  const save = useMutation(deploymentMutations.save(client, initial ?? null));
  const remove = useMutation(deploymentMutations.remove(client));
  const fields = { ...(save.error instanceof ApiError ? save.error.fields : {}), ...typos };
  // Editing clears the last save's errors; what the user typed stays.
  const set = (patch: Partial<DeploymentConfig>) => {
    if (save.isError) save.reset();
    setDraft({ ...draft, ...patch });
  };
  const setNumber = (field: NumberField, text: string) => {
    if (save.isError) save.reset();
    setTypos({});
    setNumbers({ ...numbers, [field]: text });
  };
  const numberField = (field: NumberField, label: string, name: string, disabled = false) => (
    <Field label={label} error={fields[pathOf(field)]}>
      <input value={numbers[field]} inputMode={field.endsWith('PerMTok') ? 'decimal' : 'numeric'} aria-label={name} disabled={disabled} onChange={(e) => setNumber(field, e.target.value)} />
    </Field>
  );
  return (
    <Card title={initial ? `Edit ${initial.name}` : 'New deployment'}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const read = readNumbers(numbers);
          setTypos(read.typos);
          if (Object.keys(read.typos).length > 0) return;
          const { input, output, cacheRead, cacheWrite, contextWindow, maxOutputTokens, maxNumCtx } = read.values;
          // A long-context price (set in the config file) is not on the form, and is kept as it was.
          const longContext = draft.pricing?.longContext;
          const pricing =
            input === undefined && output === undefined && cacheRead === undefined && cacheWrite === undefined
              ? undefined
              : { inputPerMTok: input ?? 0, outputPerMTok: output ?? 0, cacheReadPerMTok: cacheRead, cacheWritePerMTok: cacheWrite, ...(longContext ? { longContext } : {}) };
          save.mutate({ ...draft, pricing, contextWindow, maxOutputTokens, maxNumCtx: draft.numCtx === 'auto' ? maxNumCtx : undefined }, { onSuccess: onDone });
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
          {numberField('inputPerMTok', 'Input $ per 1M tokens', 'Input price')}
          {numberField('outputPerMTok', 'Output $ per 1M tokens', 'Output price')}
          {numberField('cacheReadPerMTok', 'Cached input $ per 1M (read; empty: input price)', 'Cache read price')}
          {numberField('cacheWritePerMTok', 'Cache write $ per 1M (empty: input price)', 'Cache write price')}
          {numberField('contextWindow', 'Context window (tokens; empty: discovered)', 'Context window')}
          {numberField('maxOutputTokens', "Most output tokens per answer (empty: the model's known limit)", 'Most output tokens')}
          {numberField('maxNumCtx', "Raise num_ctx up to (Ollama; empty: the model's maximum)", 'Raise num_ctx up to', draft.numCtx !== 'auto')}
        </div>
        <label className="row" style={{ marginBottom: 10 }}>
          <input type="checkbox" checked={draft.numCtx === 'auto'} onChange={(e) => set({ numCtx: e.target.checked ? 'auto' : undefined })} /> Ollama: raise num_ctx for long requests instead of cutting them
        </label>
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
          {initial ? <ConfirmButton confirm={`Delete ${initial.name}?`} onConfirm={() => remove.mutate(initial.name, { onSuccess: onDone })}>Delete</ConfirmButton> : null}
        </div>
        {remove.isError ? <ErrorNote error={remove.error} /> : null}
      </form>
    </Card>
  );
}

type NumberField = 'inputPerMTok' | 'outputPerMTok' | 'cacheReadPerMTok' | 'cacheWritePerMTok' | 'contextWindow' | 'maxOutputTokens' | 'maxNumCtx';
/** Where each number's error shows: the config field it becomes (prices are under `pricing`). */
const pathOf = (field: NumberField) => (field.endsWith('PerMTok') ? `pricing.${field}` : field);

/** The form's numbers as the config takes them: empty is unset; text that is no number is named, not sent as null. */
function readNumbers(numbers: Record<NumberField, string>) {
  const typos: Record<string, string> = {};
  const read = (field: NumberField): number | undefined => {
    const text = numbers[field].trim();
    if (text === '') return undefined;
    const value = Number(text);
    if (!Number.isFinite(value)) typos[pathOf(field)] = `"${text}" is not a number`;
    return value;
  };
  const values = {
    input: read('inputPerMTok'),
    output: read('outputPerMTok'),
    cacheRead: read('cacheReadPerMTok'),
    cacheWrite: read('cacheWritePerMTok'),
    contextWindow: read('contextWindow'),
    maxOutputTokens: read('maxOutputTokens'),
    maxNumCtx: read('maxNumCtx'),
  };
  return { values, typos };
}
