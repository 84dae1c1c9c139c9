/**
 * A deployment's form: its model on a provider, prices, context and output limits, Ollama's num_ctx,
 * keep-alive, cold start, options and thinking (ollama-options.tsx), what its model can do, whether
 * it is enabled, its time windows and its breaker. Numbers are kept as typed and read on Save, so a
 * half-typed price is named rather than sent.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { deploymentMutations, configQueries } from '../../api/queries/config';
import type { DeploymentConfig } from '../../api/types';
import { Card, ConfirmButton, ErrorNote, errorText, Field, useLiveError } from '../../ui/parts';
import { TimeWindowEditor } from './time-window-editor';
import { aliasesGoing } from './aliases-card';
import { numberReader } from '../../ui/numbers';
import { CapabilitiesField } from './capabilities-field';
import { OllamaOptions, optionsText, readOptions } from './ollama-options';
import { LongContextPrice, longContextText, readLongContext } from './long-context-price';
import { BreakerFields, breakerText, readBreaker } from '../routing/breaker-fields';
import { withFields } from '../../api/merge-patch';
import { useEdits } from '../../ui/unsaved';

/** What a deployment's form edits, as its unsaved edits are named (leaving the page asks). */
export const deploymentLabel = (initial: DeploymentConfig | undefined) => (initial ? `deployment ${initial.name}` : 'the new deployment');

export function DeploymentForm({ initial, onDone }: { initial: DeploymentConfig | undefined; onDone: () => void }) {
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
  const [breaker, setBreaker] = useState(() => breakerText(initial?.breaker));
  const [options, setOptions] = useState(() => optionsText(initial?.options));
  const [longText, setLongText] = useState(() => longContextText(initial?.pricing?.longContext));
  const [typos, setTypos] = useState<Record<string, string>>({});
  // A new deployment's type follows its model's name until chosen: an embedding model added as chat
  // (the type's default) is refused every chat and answers no embeddings request.
  const [typeChosen, setTypeChosen] = useState(initial !== undefined);
  // Saved, the form closes: until then, all it holds is unsaved.
  useEdits(deploymentLabel(initial), { draft, numbers, breaker, options, longText });
  // Renamed, its old name is kept as an alias unless unticked: the tools set up with it still reach it.
  const [keepAlias, setKeepAlias] = useState(true);
  const renamed = initial !== undefined && draft.name.trim() !== '' && draft.name.trim() !== initial.name;
  const models = useQuery({ ...configQueries.models(draft.provider), enabled: draft.provider !== '' });
  const save = useMutation(deploymentMutations.save(client, initial ?? null));
  const remove = useMutation(deploymentMutations.remove(client));
  // Its other names, which a delete takes with it.
  const aliases = (useQuery(configQueries.aliases()).data ?? []).filter((a) => a.target === initial?.name).map((a) => a.alias);
  const fields = { ...(save.error instanceof ApiError ? save.error.fields : {}), ...typos };
  const saveError = useLiveError(save.error);
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
          const reader = numberReader();
          const breakerShown = readBreaker(breaker, reader);
          const longContext = readLongContext(longText, reader);
          const ollama = readOptions(options);
          setTypos({ ...read.typos, ...reader.typos, ...('problem' in ollama ? { options: ollama.problem } : {}) });
          if (Object.keys(read.typos).length > 0 || !reader.ok() || 'problem' in ollama) return;
          const { input, output, cacheRead, cacheWrite, contextWindow, maxOutputTokens, maxNumCtx } = read.values;
          if (longContext && input === undefined && output === undefined) return setTypos({ ...reader.typos, 'pricing.inputPerMTok': 'give the price below the long-context size too' });
          const pricing =
            input === undefined && output === undefined && cacheRead === undefined && cacheWrite === undefined
              ? undefined
              : { inputPerMTok: input ?? 0, outputPerMTok: output ?? 0, cacheReadPerMTok: cacheRead, cacheWritePerMTok: cacheWrite, ...(longContext ? { longContext } : {}) };
          // A name pasted with the space after it is the name.
          save.mutate({ ...draft, name: draft.name.trim(), model: draft.model.trim(), pricing, contextWindow, maxOutputTokens, maxNumCtx: draft.numCtx === 'auto' ? maxNumCtx : undefined, breaker: withFields(draft.breaker, breakerShown), options: ollama.options, keepAlias: renamed && keepAlias }, { onSuccess: onDone });
        }}
      >
        <div className="form-grid">
          <div>
            <Field label="Name" error={fields.name}>
              <input value={draft.name} onChange={(e) => set({ name: e.target.value })} aria-label="Deployment name" />
            </Field>
            {renamed ? (
              <label className="row" style={{ gap: 6, marginTop: 6 }}>
                <input type="checkbox" checked={keepAlias} onChange={(e) => setKeepAlias(e.target.checked)} />
                Keep "{initial.name}" as an alias, so tools that ask for it still reach this deployment
              </label>
            ) : null}
          </div>
          <Field label="Provider" error={fields.provider}>
            <select value={draft.provider} onChange={(e) => set({ provider: e.target.value })} aria-label="Provider">
              <option value="">Choose...</option>
              {providers.data?.map((p) => <option key={p.name} value={p.name}>{p.name} ({p.kind})</option>)}
            </select>
          </Field>
          <Field label={models.data?.error ? 'Model (discovery failed: type it)' : 'Model'} error={fields.model}>
            <input value={draft.model} onChange={(e) => set({ model: e.target.value, ...(typeChosen ? {} : { type: namesEmbeddingModel(e.target.value) ? 'embedding' : 'chat' }) })} list="discovered-models" aria-label="Model" />
            <datalist id="discovered-models">{models.data?.models.map((m) => <option key={m} value={m} />)}</datalist>
          </Field>
          <Field label="Type" error={fields.type}>
            <select value={draft.type ?? 'chat'} onChange={(e) => (setTypeChosen(true), set({ type: e.target.value as 'chat' | 'embedding' }))} aria-label="Type">
              <option value="chat">chat</option>
              <option value="embedding">embedding</option>
            </select>
            {!typeChosen && draft.type === 'embedding' ? <span className="muted">its model's name says it embeds</span> : null}
          </Field>
          {numberField('inputPerMTok', 'Input $ per 1M tokens', 'Input price')}
          {numberField('outputPerMTok', 'Output $ per 1M tokens', 'Output price')}
          {numberField('cacheReadPerMTok', 'Cached input $ per 1M (read; empty: input price)', 'Cache read price')}
          {numberField('cacheWritePerMTok', 'Cache write $ per 1M (empty: input price)', 'Cache write price')}
          {numberField('contextWindow', 'Context window (tokens; empty: discovered)', 'Context window')}
          {numberField('maxOutputTokens', "Most output tokens per answer (empty: the model's known limit)", 'Most output tokens')}
          {numberField('maxNumCtx', "Raise num_ctx up to (Ollama; empty: the model's maximum)", 'Raise num_ctx up to', draft.numCtx !== 'auto')}
          <Field label="Keep in memory after use (Ollama: 30m, 2h, -1 always, 0 never; empty: Ollama's 5m)" error={fields.keepAlive}>
            <input value={draft.keepAlive === undefined ? '' : String(draft.keepAlive)} placeholder="5m" aria-label="Keep in memory after use" onChange={(e) => set({ keepAlive: e.target.value === '' ? undefined : e.target.value })} />
          </Field>
        </div>
        <OllamaOptions text={options} think={draft.think} error={fields.options} onText={(text) => { if (save.isError) save.reset(); setTypos({}); setOptions(text); }} onThink={(think) => set({ think })} />
        <label className="row" style={{ marginBottom: 10 }}>
          <input type="checkbox" checked={draft.numCtx === 'auto'} onChange={(e) => set({ numCtx: e.target.checked ? 'auto' : undefined })} /> Ollama: raise num_ctx for long requests instead of cutting them
        </label>
        <label className="row" style={{ marginBottom: 10 }}>
          <input type="checkbox" checked={draft.coldStart === 'fallback'} onChange={(e) => set({ coldStart: e.target.checked ? 'fallback' : undefined })} /> Ollama: while its model is not in memory, let the route's other deployments answer and load it meanwhile
        </label>
        <CapabilitiesField deployment={initial?.name} value={draft.capabilities} onChange={(capabilities) => set({ capabilities })} />
        <label className="row" style={{ marginBottom: 10 }}>
          <input type="checkbox" checked={draft.enabled !== false} onChange={(e) => set({ enabled: e.target.checked ? undefined : false })} /> Enabled
        </label>
        <TimeWindowEditor
          windows={draft.timeWindows ?? []}
          timeZone={draft.timeZone ?? ''}
          errors={fields}
          onChange={(timeWindows, timeZone) => set({ timeWindows: timeWindows.length ? timeWindows : undefined, timeZone: timeZone || undefined })}
        />
        <LongContextPrice text={longText} errors={fields} onChange={(text) => { if (save.isError) save.reset(); setTypos({}); setLongText(text); }} />
        <details style={{ marginBottom: 10 }}>
          <summary>Breaker</summary>
          <p className="muted">Empty: its route&apos;s breaker, or the default each field shows.</p>
          <BreakerFields owner={initial?.name ?? 'new deployment'} text={breaker} errors={fields} onChange={(text) => { if (save.isError) save.reset(); setTypos({}); setBreaker(text); }} />
        </details>
        {saveError ? <div className="notice bad" role="alert">{Object.keys(fields).length > 0 ? 'Fix the highlighted fields: nothing was saved.' : errorText(saveError)}</div> : null}
        <div className="row" style={{ marginTop: 12 }}>
          <button className="primary" type="submit" disabled={save.isPending}>Save</button>
          <button type="button" onClick={onDone}>Cancel</button>
          {initial ? <ConfirmButton confirm={[`Delete ${initial.name}?`, aliasesGoing(aliases)].filter(Boolean).join(' ')} onConfirm={() => remove.mutate(initial.name, { onSuccess: onDone })}>Delete</ConfirmButton> : null}
        </div>
        {remove.isError ? <ErrorNote error={remove.error} /> : null}
      </form>
    </Card>
  );
}

type NumberField = 'inputPerMTok' | 'outputPerMTok' | 'cacheReadPerMTok' | 'cacheWritePerMTok' | 'contextWindow' | 'maxOutputTokens' | 'maxNumCtx';
/** Where each number's error shows: the config field it becomes (prices are under `pricing`). */
const pathOf = (field: NumberField) => (field.endsWith('PerMTok') ? `pricing.${field}` : field);

/** The form's numbers as the config takes them (ui/numbers.ts). */
function readNumbers(numbers: Record<NumberField, string>) {
  const { read: readAt, typos } = numberReader();
  const read = (field: NumberField) => readAt(pathOf(field), numbers[field]);
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

/**
 * Embedding models' names say so (nomic-embed-text, mxbai-embed-large, text-embedding-3-small,
 * embeddinggemma, qwen3-embedding), or name a family that only embeds (bge-m3, all-minilm,
 * paraphrase-multilingual, in Ollama's library).
 */
const namesEmbeddingModel = (model: string) => /embed|(?:^|[/:])bge\b|minilm|paraphrase-multilingual/i.test(model);
