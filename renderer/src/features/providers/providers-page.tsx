/** Providers: add from presets, key entry (write-only), how the probes find each, test connection with latency, discovered models, what each server refused. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { providerMutations, configQueries } from '../../api/queries/config';
import { healthQueries } from '../../api/queries/health';
import type { ProbeOutcome, ProviderConfig, ProviderInput, ProviderTest, ProviderView } from '../../api/types';
import { Badge, Card, ConfirmButton, counted, Empty, ErrorNote, Field, Loading, statusTone, when } from '../../ui/parts';
import { ProviderQuirks } from './provider-quirks';
import { CapacityFields, capacityText, readCapacity } from './provider-capacity';
import { ProviderApis } from './provider-apis';
import { HeadersField, headerRows, readHeaders } from './provider-headers';
import { useEdits, useOpenForm } from '../../ui/unsaved';

/** The part of Azure's base URL that is each user's own: the form says to fill it in rather than save it. */
const AZURE_RESOURCE = 'YOUR-RESOURCE';

/**
 * Well-known servers: kind, base URL, the usual key variable, and the APIs they serve themselves
 * beyond chat (LM Studio's, vLLM's and llama.cpp's text completions fill in the middle for editors'
 * autocomplete; xAI and Azure serve Responses, so Codex's requests pass through to them).
 */
const PRESETS: readonly { label: string; name: string; kind: ProviderConfig['kind']; baseUrl: string; keyEnv: string; apis?: NonNullable<ProviderConfig['apis']> }[] = [
  { label: 'Ollama', name: 'ollama', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434', keyEnv: '' },
  { label: 'OpenAI', name: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1', keyEnv: 'OPENAI_API_KEY' },
  { label: 'Anthropic', name: 'anthropic', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', keyEnv: 'ANTHROPIC_API_KEY' },
  { label: 'Google Gemini', name: 'gemini', kind: 'openai', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai', keyEnv: 'GEMINI_API_KEY' },
  { label: 'xAI', name: 'xai', kind: 'openai', baseUrl: 'https://api.x.ai/v1', keyEnv: 'XAI_API_KEY', apis: ['chat', 'responses'] },
  { label: 'OpenRouter', name: 'openrouter', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', keyEnv: 'OPENROUTER_API_KEY' },
  { label: 'Groq', name: 'groq', kind: 'openai', baseUrl: 'https://api.groq.com/openai/v1', keyEnv: 'GROQ_API_KEY' },
  { label: 'Together', name: 'together', kind: 'openai', baseUrl: 'https://api.together.xyz/v1', keyEnv: 'TOGETHER_API_KEY' },
  { label: 'Mistral', name: 'mistral', kind: 'openai', baseUrl: 'https://api.mistral.ai/v1', keyEnv: 'MISTRAL_API_KEY' },
  { label: 'DeepSeek', name: 'deepseek', kind: 'openai', baseUrl: 'https://api.deepseek.com/v1', keyEnv: 'DEEPSEEK_API_KEY' },
  // Azure's v1 API (since August 2025): the OpenAI API at the resource's own host, a deployment's name as the model, chat and Responses.
  { label: 'Azure OpenAI', name: 'azure', kind: 'openai', baseUrl: `https://${AZURE_RESOURCE}.openai.azure.com/openai/v1`, keyEnv: 'AZURE_OPENAI_API_KEY', apis: ['chat', 'responses'] },
  { label: 'LM Studio', name: 'lmstudio', kind: 'openai', baseUrl: 'http://127.0.0.1:1234/v1', keyEnv: '', apis: ['chat', 'completions'] },
  { label: 'vLLM', name: 'vllm', kind: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', keyEnv: '', apis: ['chat', 'completions'] },
  { label: 'llama.cpp', name: 'llamacpp', kind: 'openai', baseUrl: 'http://127.0.0.1:8080/v1', keyEnv: '', apis: ['chat', 'completions'] },
  { label: 'Custom (OpenAI-compatible)', name: '', kind: 'openai', baseUrl: '', keyEnv: '' },
];

/** What the form's first fields do not show (headers, capacity, timeouts and APIs, in their parts; the largest answer, nowhere): sent back as it was, so an edit keeps it. */
type Kept = Omit<ProviderView, 'name' | 'kind' | 'baseUrl' | 'apiKey' | 'local' | 'runsLocally' | 'headerKeys'>;

interface Draft {
  name: string;
  kind: ProviderConfig['kind'];
  baseUrl: string;
  /** Where it runs, as said (undefined: guessed from its address). */
  local: boolean | undefined;
  keyReference: string;
  keyValue: string;
  kept: Kept;
}

function draftOf({ name, kind, baseUrl, apiKey, local, runsLocally: _guess, headerKeys: _keys, ...kept }: ProviderView): Draft {
  return { name, kind, baseUrl, local, keyReference: apiKey.reference ?? '', keyValue: '', kept };
}

/** The variable each kind's key is usually in (an Ollama's, for ollama.com's cloud models). */
const KEY_EXAMPLE: Record<Draft['kind'], string> = { ollama: 'env:OLLAMA_API_KEY', openai: 'env:OPENAI_API_KEY', anthropic: 'env:ANTHROPIC_API_KEY' };
const RUNS: Record<string, { label: string; local: boolean | undefined }> = {
  guess: { label: 'Guess from its address (this machine, or an Ollama on my network: local)', local: undefined },
  local: { label: 'On this machine or my network: local (free, used while local only is on)', local: true },
  cloud: { label: 'A cloud service (its answers cost; skipped while local only is on)', local: false },
};

export function ProvidersPage() {
  const providers = useQuery(configQueries.providers());
  const settings = useQuery(configQueries.settings());
  const [draft, setDraft] = useOpenForm<{ original: string | null; value: Draft }>((d) => providerLabel(d.original, d.value));
  if (providers.isPending) return <Loading what="providers" />;
  if (providers.isError) return <ErrorNote error={providers.error} />;
  const canStore = settings.data?.secrets.canStore ?? false;
  return (
    <>
      <h1>Providers</h1>
      <p className="sub">Connections to Ollama, Anthropic and OpenAI-compatible servers. Keys are write-only: Switchyard shows only whether one is set.</p>
      {settings.data && !settings.data.secrets.protected ? <div className="notice warn">Keys are stored without protection on this system ({settings.data.secrets.backend}).</div> : null}
      <div className="grid cols-2">
        <div className="grid">
          {providers.data.length === 0 ? <Empty>No providers yet: add one from a preset.</Empty> : null}
          {providers.data.map((p) => (
            <ProviderCard key={p.name} provider={p} canStore={canStore} onEdit={() => setDraft({ original: p.name, value: draftOf(p) })} />
          ))}
        </div>
        <div className="grid">
          <Card title="Add a provider">
            <div className="row">
              {PRESETS.map((preset) => (
                <button key={preset.label} onClick={() => setDraft({ original: null, value: { name: preset.name, kind: preset.kind, baseUrl: preset.baseUrl, local: undefined, keyReference: preset.keyEnv ? `env:${preset.keyEnv}` : '', keyValue: '', kept: preset.apis ? { apis: preset.apis } : {} } })}>
                  {preset.label}
                </button>
              ))}
            </div>
          </Card>
          {draft ? <ProviderForm key={draft.original ?? draft.value.name} original={draft.original} initial={draft.value} canStore={canStore} onDone={() => setDraft(null)} /> : null}
        </div>
      </div>
    </>
  );
}

/** A test's outcome in a line. A provider that keeps no models list answered all the same; a wrong base URL answers the same way, so the line says where to look if requests fail. */
function testSummary(outcome: ProbeOutcome): string | null {
  if (!outcome.ok) return outcome.error;
  const connected = `Connected in ${outcome.latencyMs} ms${outcome.version ? ` (Ollama ${outcome.version})` : ''}`;
  return outcome.models === null ? `${connected}: it keeps no models list (if requests fail, check that the base URL ends where the API starts, e.g. /v1)` : `${connected}: ${counted(outcome.models.length, 'model')}`;
}

function unprobed(status: string, probesOff: boolean): string {
  if (status === 'unknown') return probesOff ? ' · probes off, and no request sent to it yet' : ' · not probed yet';
  return probesOff ? ' · from its answers (probes off)' : ' · from its answers, not probed yet';
}

/** How the gateway's own probes found the provider, as the Overview's health card does: up or down, and why. */
function ProbeLine({ provider }: { provider: string }) {
  const health = useQuery(healthQueries.now());
  const found = health.data?.providers.find((p) => p.name === provider);
  if (!found) return null;
  const why = found.status === 'up' ? null : (found.reason ?? found.probe?.error ?? null);
  // Without a probe, "up" or "down" came from the provider's answers to requests: say so, and that
  // none will come where its config turns probes off ("not probed yet" would wait forever).
  const probed = found.probe ? ` · probed ${when(found.probe.at)}${found.probe.ok ? `, ${Math.round(found.probe.latencyMs)} ms` : ''}` : unprobed(found.status, found.probeIntervalMs === 0);
  // A server that answers its probe while its models fail (a cloud API's 5xx outage, a model's runner
  // crashed) is "up": what its deployments' breakers say is told beside it, not left to the Overview.
  const mine = health.data?.deployments.filter((d) => d.provider === provider && d.enabled) ?? [];
  const failing = found.status === 'up' ? mine.filter((d) => d.status === 'open' || d.status === 'probing') : [];
  const lastError = failing.find((d) => d.lastError)?.lastError;
  return (
    <div style={{ marginTop: 8 }} data-testid={`provider-health-${provider}`}>
      <Badge tone={statusTone(found.status)}>{found.status}</Badge>
      <span className="muted">{probed}</span>
      {why ? <div className="field-error">{why}</div> : null}
      {failing.length > 0 ? (
        <div className="field-error">
          {failing.length === mine.length ? `but ${mine.length === 1 ? 'its deployment fails' : `all ${mine.length} of its deployments fail`}` : `but ${failing.length} of its ${mine.length} deployments fail`}: {failing.map((d) => d.name).join(', ')}
          {lastError ? ` (last: ${lastError})` : ''}
        </div>
      ) : null}
    </div>
  );
}

function ProviderCard({ provider, canStore, onEdit }: { provider: ProviderView; canStore: boolean; onEdit: () => void }) {
  const test = useMutation(providerMutations.test());
  return (
    <Card
      title={<>{provider.name} <span className="muted">{provider.kind}</span> <Badge tone="info">{`${provider.runsLocally ? 'local' : 'cloud'}${provider.local === undefined ? ' (by its address)' : ''}`}</Badge></>}
      actions={<button onClick={onEdit}>Edit</button>}
    >
      <div className="mono">{provider.baseUrl}</div>
      <ProbeLine provider={provider.name} />
      <div className="row" style={{ marginTop: 8 }}>
        {provider.apiKey.reference ? (
          <Badge tone={provider.apiKey.set && !provider.apiKey.problem ? 'ok' : 'bad'}>
            {!provider.apiKey.set ? `${provider.apiKey.reference.replace(/^env:/, '')} is not set` : provider.apiKey.problem ? 'key unusable: copy it again' : `key set ····${provider.apiKey.last4}`}
          </Badge>
        ) : provider.headerKeys.length === 0 ? (
          <Badge>no key</Badge>
        ) : null}
        {provider.headerKeys.map((k) => (
          <Badge key={k.header} tone={k.set ? 'ok' : 'bad'}>{k.set ? `key in its ${k.header} header` : `${k.reference.replace(/^\w+:/, '')} (its ${k.header} header) is not set`}</Badge>
        ))}
        <button onClick={() => test.mutate(provider.name)} disabled={test.isPending}>{test.isPending ? 'Testing...' : 'Test connection'}</button>
      </div>
      {/* An app opened from the dock or a launcher never read the shell profile that exports the variable. */}
      {canStore && !provider.apiKey.set && provider.apiKey.reference?.startsWith('env:') ? (
        <p className="muted" data-testid={`key-hint-${provider.name}`}>The app sees only the variables it was started with, not your shell profile's: Edit, and paste the key (it is kept encrypted).</p>
      ) : null}
      {test.data ? (
        <div className={`notice ${test.data.ok ? 'ok' : 'bad'}`} style={{ marginTop: 10 }} role="status">
          {testSummary(test.data)}
          {test.data.ok && test.data.models?.length ? <div className="muted" style={{ marginTop: 4 }}>{test.data.models.slice(0, 12).join(', ')}{test.data.models.length > 12 ? ', ...' : ''}</div> : null}
        </div>
      ) : null}
      {test.isError ? <ErrorNote error={test.error} /> : null}
      <ProviderQuirks provider={provider.name} />
    </Card>
  );
}

/** What a form's draft saves: the fields it does not show as they were, the key as a reference or a value to store; what was typed, without the space a paste brought. */
function inputOf(draft: Draft, canStore: boolean): ProviderInput {
  return {
    ...draft.kept,
    name: draft.name.trim(),
    kind: draft.kind,
    baseUrl: draft.baseUrl.trim(),
    ...(draft.local === undefined ? {} : { local: draft.local }),
    ...(draft.keyValue && canStore ? { apiKeyValue: draft.keyValue } : draft.keyReference.trim() ? { apiKey: draft.keyReference.trim() } : { apiKey: null }),
  };
}

/** A draft as a connection test takes it: what was typed (keys too) used for the test alone. */
function testBody(draft: Draft, { headers, keys }: ReturnType<typeof readHeaders>): ProviderTest {
  const key = draft.keyValue ? { apiKeyValue: draft.keyValue } : draft.keyReference.trim() ? { apiKey: draft.keyReference.trim() } : {};
  return { ...draft.kept, headers, ...(keys ? { headerKeyValues: keys } : {}), name: draft.name.trim() || 'draft', kind: draft.kind, baseUrl: draft.baseUrl.trim(), ...(draft.local === undefined ? {} : { local: draft.local }), ...key };
}

/** What a provider's form edits, as its unsaved edits are named: a preset's new provider by the name it starts with. */
const providerLabel = (original: string | null, initial: Draft) => (original ? `provider ${original}` : `the new provider ${initial.name}`);

function ProviderForm({ original, initial, canStore, onDone }: { original: string | null; initial: Draft; canStore: boolean; onDone: () => void }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const [capacity, setCapacity] = useState(() => capacityText(initial.kept));
  const [headers, setHeaders] = useState(() => headerRows(initial.kept.headers));
  // Saved, the form closes: until then, all it holds is unsaved.
  useEdits(providerLabel(original, initial), { draft, capacity, headers });
  const [typos, setTypos] = useState<Record<string, string>>({});
  const body = () => inputOf(draft, canStore);
  const save = useMutation(providerMutations.save(client, original ? inputOf(initial, canStore) : null));
  const test = useMutation(providerMutations.testDraft());
  const remove = useMutation(providerMutations.remove(client));
  const fields = { ...(save.error instanceof ApiError ? save.error.fields : {}), ...typos };
  return (
    <Card title={original ? `Edit ${original}` : 'New provider'}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const read = readCapacity(capacity);
          const sent = readHeaders(headers, canStore);
          const placeholder: Record<string, string> = draft.baseUrl.includes(AZURE_RESOURCE) ? { baseUrl: `Put your Azure resource's name in place of ${AZURE_RESOURCE}` } : {};
          setTypos({ ...read.typos, ...sent.typos, ...placeholder });
          if (Object.keys(read.typos).length === 0 && Object.keys(sent.typos).length === 0 && !placeholder.baseUrl) save.mutate({ ...body(), ...read.values, headers: sent.headers, ...(sent.keys ? { headerKeyValues: sent.keys } : {}) }, { onSuccess: onDone });
        }}
      >
        <div className="form-grid">
          <Field label="Name" error={fields.name}><input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} aria-label="Provider name" /></Field>
          <Field label="Kind" error={fields.kind}>
            <select value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as Draft['kind'] })}>
              <option value="ollama">Ollama</option>
              <option value="openai">OpenAI-compatible</option>
              <option value="anthropic">Anthropic</option>
            </select>
          </Field>
        </div>
        <Field label="Base URL" error={fields.baseUrl}><input value={draft.baseUrl} onChange={(e) => (setTypos({}), setDraft({ ...draft, baseUrl: e.target.value }))} aria-label="Base URL" /></Field>
        <Field label="Where it runs" error={fields.local}>
          <select value={Object.keys(RUNS).find((k) => RUNS[k]?.local === draft.local)} onChange={(e) => setDraft({ ...draft, local: RUNS[e.target.value]?.local })} aria-label="Where it runs">
            {Object.entries(RUNS).map(([key, run]) => <option key={key} value={key}>{run.label}</option>)}
          </select>
        </Field>
        <Field label="API key reference (env:NAME)" error={fields.apiKey}>
          <input value={draft.keyReference} placeholder={KEY_EXAMPLE[draft.kind]} onChange={(e) => setDraft({ ...draft, keyReference: e.target.value })} aria-label="API key reference" />
        </Field>
        <Field label={canStore ? 'Or paste the key (stored encrypted, never shown again)' : 'Paste a key to test the connection (not saved: here saved keys come from environment variables)'} error={fields.apiKeyValue}>
          <input type="password" autoComplete="off" value={draft.keyValue} onChange={(e) => setDraft({ ...draft, keyValue: e.target.value })} aria-label="API key value" />
        </Field>
        <Field label="Send the key in" error={fields.keyHeader}>
          <select value={draft.kept.keyHeader ?? 'authorization'} aria-label="Send the key in" onChange={(e) => setDraft({ ...draft, kept: { ...draft.kept, keyHeader: e.target.value === 'authorization' ? undefined : (e.target.value as ProviderConfig['keyHeader']) } })}>
            <option value="authorization">Authorization, as a bearer token (most servers)</option>
            <option value="api-key">an api-key header (Azure OpenAI)</option>
            <option value="x-api-key">an x-api-key header</option>
          </select>
        </Field>
        <ProviderApis kind={draft.kind} value={draft.kept.apis} onChange={(apis) => setDraft({ ...draft, kept: { ...draft.kept, apis } })} />
        {fields.apis ? <div className="field-error" role="alert">{fields.apis}</div> : null}
        <HeadersField rows={headers} errors={fields} canStore={canStore} onChange={(rows) => (setTypos({}), setHeaders(rows))} />
        <CapacityFields kind={draft.kind} text={capacity} errors={fields} onChange={(text) => (setTypos({}), setCapacity(text))} />
        {save.isError ? <ErrorNote error={save.error} /> : null}
        <div className="row" style={{ marginTop: 12 }}>
          <button className="primary" type="submit" disabled={save.isPending}>Save</button>
          <button type="button" onClick={() => test.mutate(testBody(draft, readHeaders(headers, canStore)))} disabled={test.isPending}>Test connection</button>
          <button type="button" onClick={onDone}>Cancel</button>
          {original ? <ConfirmButton confirm={`Delete ${original}?`} onConfirm={() => remove.mutate(original, { onSuccess: onDone })}>Delete</ConfirmButton> : null}
        </div>
        {test.isError ? <ErrorNote error={test.error} /> : null}
        {test.data ? <div className={`notice ${test.data.ok ? 'ok' : 'bad'}`} style={{ marginTop: 10 }}>{testSummary(test.data)}</div> : null}
        {remove.isError ? <ErrorNote error={remove.error} /> : null}
      </form>
    </Card>
  );
}
