/**
 * Playground: a multi-turn chat through the real router (or texts embedded: embed-panel.tsx), sent as any of the four APIs (OpenAI's
 * chat completions stream live; Messages, Responses and Ollama's chat go through their front doors
 * and show what that client would get), with each answer's attempt timeline, tokens, cost and cache
 * status, the request as it went upstream (translated or passed through), what a model thought (folded), how
 * hard it thinks (a route's rule for thinking requests rehearsed), a system prompt, "simulate
 * failure" toggles per deployment, Stop for an answer under way, and the request as code (curl, Python,
 * Node.js: snippets.ts). The conversation and its settings are kept for the tab (ui/kept-state.ts).
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { send, streamEvents } from '../../api/client';
import { configQueries } from '../../api/queries/config';
import type { PlaygroundWireAnswer } from '../../api/types';
import { Card, ErrorNote, Field, FieldGroup, Snippet } from '../../ui/parts';
import { Tabs } from '../../ui/tabs';
import { CopyButton } from '../../ui/copy-button';
import { EmbedPanel } from './embed-panel';
import { EMBED_API_LABELS, embedRequestFor, textsOf, type EmbedApi } from './embed-wire';
import { LANGUAGES, snippetFor, type Language } from './snippets';
import { TraceView, type ShownTrace } from './trace-view';
import { answerError, answerParts, API_LABELS, requestFor, traceOf, type Effort, type PlaygroundApi } from './wire';
import { numberReader } from '../../ui/numbers';
import { useKeptState } from '../../ui/kept-state';

/** The playground's stream: answer chunks, then the trace (or an error with the trace so far). */
type PlaygroundEvent =
  | { type: 'chunk'; chunk: { choices: { delta?: { content?: string | null; reasoning_content?: string; reasoning?: string } }[] } }
  | ({ type: 'trace' } & ShownTrace)
  | ({ type: 'error'; message: string } & ShownTrace);

interface Turn {
  role: 'user' | 'assistant';
  content: string;
  /** What the model thought before it answered, where it says. */
  reasoning?: string;
  trace?: ShownTrace;
  /** Stopped before its answer ended: what had come is kept. */
  stopped?: boolean;
}

export function PlaygroundPage() {
  const routes = useQuery(configQueries.routes());
  const deployments = useQuery(configQueries.deployments());
  const basics = useQuery(configQueries.clients());
  const [picked, setModel] = useKeptState<string | null>('playground.model', null);
  const [turns, setTurns] = useKeptState<Turn[]>('playground.turns', []);
  const [input, setInput] = useKeptState('playground.input', '');
  const [temperature, setTemperature] = useKeptState('playground.temperature', '0.7');
  const [maxTokens, setMaxTokens] = useKeptState('playground.maxTokens', '');
  const [system, setSystem] = useKeptState('playground.system', '');
  const [effort, setEffort] = useKeptState<Effort>('playground.effort', '');
  const [simulated, setSimulated] = useKeptState<string[]>('playground.simulated', []);
  const [api, setApi] = useKeptState<PlaygroundApi>('playground.api', 'openai');
  const [embedApi, setEmbedApi] = useKeptState<EmbedApi>('playground.embedApi', 'embeddings');
  const [embedTexts, setEmbedTexts] = useKeptState('playground.embedTexts', '');
  const [stream, setStream] = useKeptState('playground.stream', true);
  const [language, setLanguage] = useKeptState<Language>('playground.language', 'curl');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const stopper = useRef<AbortController | null>(null);
  // Leaving the page stops an answer under way, as Stop does: what came is kept with the conversation (ui/kept-state.ts).
  useEffect(() => () => stopper.current?.abort(), []);
  // Escape stops an answer under way, wherever the focus is (as in a chat app).
  useEffect(() => {
    if (!busy) return undefined;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') stopper.current?.abort();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [busy]);

  // Chat routes and deployments, then embedding ones; until one is picked (or once the picked one is gone), the first.
  const names = basics.data?.models ?? [];
  const embeddingNames = basics.data?.embeddingModels ?? [];
  const routeNames = new Set(routes.data?.map((r) => r.name));
  const model = picked !== null && [...names, ...embeddingNames].includes(picked) ? picked : (names[0] ?? embeddingNames[0] ?? '');
  const embedding = embeddingNames.includes(model);
  const chain = routes.data?.find((r) => r.name === model)?.deployments ?? (deployments.data?.some((d) => d.name === model) ? [model] : []);
  // Text that is no number is named under its field, and the turn is not sent (JSON would carry it as null, which the API takes as "not set").
  const numbers = numberReader();
  const options = { model, stream, temperature: numbers.read('temperature', temperature), maxTokens: numbers.read('maxTokens', maxTokens), system, effort };
  const messagesOf = (list: Turn[]) => list.map(({ role, content }) => ({ role, content }));

  async function sendTurn() {
    if (!input.trim() || !model || !numbers.ok()) return;
    setError(null);
    setBusy(true);
    const history = [...turns, { role: 'user' as const, content: input }];
    setTurns([...history, { role: 'assistant', content: '' }]);
    setInput('');
    const stop = new AbortController();
    stopper.current = stop;
    let text = '';
    let reasoning = '';
    try {
      if (api === 'openai' && stream) {
        await streamEvents<PlaygroundEvent>('/admin/api/playground', { ...requestFor('openai', messagesOf(history), options), simulateFailures: simulated }, (event) => {
          const delta = event.type === 'chunk' ? event.chunk.choices[0]?.delta : undefined;
          text += delta?.content ?? '';
          reasoning += delta?.reasoning_content ?? delta?.reasoning ?? '';
          if (event.type === 'error') setError(new Error(event.message));
          const trace = event.type === 'chunk' ? undefined : event;
          setTurns([...history, { role: 'assistant', content: text, ...(reasoning ? { reasoning } : {}), ...(trace ? { trace } : {}) }]);
        }, stop.signal);
      } else {
        const answer = await send<PlaygroundWireAnswer>('/admin/api/playground/wire', 'POST', { api, body: requestFor(api, messagesOf(history), options), simulateFailures: simulated }, stop.signal);
        const failure = answer.status >= 400 ? (answerError(answer.answer) ?? `The front door answered ${answer.status}`) : undefined;
        if (failure) setError(new Error(failure));
        const parts = failure ? { text: '', reasoning: '' } : answerParts(api, answer.answer);
        setTurns([...history, { role: 'assistant', content: parts.text, ...(parts.reasoning ? { reasoning: parts.reasoning } : {}), trace: traceOf(answer) }]);
      }
    } catch (caught) {
      if (stop.signal.aborted) setTurns([...history, { role: 'assistant', content: text, ...(reasoning ? { reasoning } : {}), stopped: true }]);
      else {
        setError(caught);
        setTurns(history);
      }
    } finally {
      stopper.current = null;
      setBusy(false);
    }
  }

  // The request the next Send makes, or, with nothing typed since a turn, the one it last made (ended
  // with the answer, the request would ask the model to go on from it: a prefill to Anthropic's API).
  // Before anything is typed it still asks something: a request with no messages is refused (or, to an Ollama, only loads the model).
  const asked = turns.findLastIndex((turn) => turn.role === 'user');
  const lastRequest = requestFor(api, input || asked < 0 ? [...messagesOf(turns), { role: 'user' as const, content: input || 'Hello' }] : messagesOf(turns.slice(0, asked + 1)), options);
  const embedTyped = textsOf(embedTexts);
  const [shownApi, shownRequest] = embedding ? [embedApi, embedRequestFor(model, embedTyped.length > 0 ? embedTyped : ['Hello'])] as const : [api, lastRequest] as const;
  const snippet = snippetFor(language, shownApi, shownRequest, window.location.origin, basics.data?.keyRequired ?? false);
  const apiLabel = embedding ? EMBED_API_LABELS[embedApi] : API_LABELS[api];

  return (
    <>
      <h1>Playground</h1>
      <p className="sub">Try a route or a deployment, for chat or embeddings. Simulated failures make the gateway treat a deployment as failed for these requests only.</p>
      <div className="grid cols-2">
        {embedding ? <EmbedPanel model={model} api={embedApi} simulated={simulated} typed={embedTexts} onType={setEmbedTexts} /> : <Card title="Conversation" actions={<button onClick={() => setTurns([])} disabled={busy || turns.length === 0}>Clear</button>}>
          <div className="chat" aria-live="polite">
            {turns.length === 0 ? <div className="empty">Write a message to start.</div> : null}
            {turns.map((turn, i) => (
              <div key={i}>
                {/* Open while the model thinks, folded once its answer comes: the answer is what was asked for. */}
                {turn.reasoning ? (
                  <details className="thinking" open={!turn.content || undefined} data-testid="thinking">
                    <summary>Thinking</summary>
                    <div className="muted">{turn.reasoning}</div>
                  </details>
                ) : null}
                <div className={`bubble ${turn.role}`} data-testid={turn.role === 'assistant' ? 'answer' : undefined}>{turn.content || (busy && i === turns.length - 1 ? '...' : '')}</div>
                {turn.stopped ? <div className="muted" data-testid="stopped">Stopped{turn.content ? '' : ' before any of the answer came'}: the gateway cancelled the request upstream.</div> : null}
                {turn.trace ? <TraceView trace={turn.trace} /> : null}
              </div>
            ))}
          </div>
          {error ? <ErrorNote error={error} /> : null}
          <form onSubmit={(e) => { e.preventDefault(); void sendTurn(); }}>
            <textarea rows={3} value={input} onChange={(e) => setInput(e.target.value)} placeholder="Ask something..." aria-label="Message" onKeyDown={(e) => { if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void sendTurn(); }} />
            <div className="row" style={{ marginTop: 8 }}>
              <button className="primary" type="submit" disabled={busy || !input.trim() || !model || !numbers.ok()}>{busy ? 'Answering...' : 'Send'}</button>
              {busy ? <button type="button" onClick={() => stopper.current?.abort()} title="Esc">Stop</button> : null}
              <span className="muted">Ctrl+Enter</span>
            </div>
          </form>
        </Card>}
        <div className="grid">
          <Card title="Settings">
            <div className="form-grid">
              <Field label="Send as">
                {embedding ? (
                  <select value={embedApi} onChange={(e) => setEmbedApi(e.target.value as EmbedApi)} aria-label="API">
                    {(Object.keys(EMBED_API_LABELS) as EmbedApi[]).map((a) => <option key={a} value={a}>{EMBED_API_LABELS[a]}</option>)}
                  </select>
                ) : (
                  <select value={api} onChange={(e) => setApi(e.target.value as PlaygroundApi)} aria-label="API">
                    {(Object.keys(API_LABELS) as PlaygroundApi[]).map((a) => <option key={a} value={a}>{API_LABELS[a]}</option>)}
                  </select>
                )}
              </Field>
              {embedding ? null : (
                <Field label="Stream">
                  <label className="row" style={{ gap: 4 }}><input type="checkbox" checked={stream} onChange={(e) => setStream(e.target.checked)} aria-label="Stream" /> stream the answer</label>
                </Field>
              )}
            </div>
            <Field label="Route or deployment">
              <select value={model} onChange={(e) => { setModel(e.target.value); setSimulated([]); }} aria-label="Model">
                <optgroup label="Routes">{names.filter((n) => routeNames.has(n)).map((n) => <option key={n} value={n}>{n}</option>)}</optgroup>
                <optgroup label="Deployments">{names.filter((n) => !routeNames.has(n)).map((n) => <option key={n} value={n}>{n}</option>)}</optgroup>
                {embeddingNames.length > 0 ? <optgroup label="Embeddings">{embeddingNames.map((n) => <option key={n} value={n}>{n}</option>)}</optgroup> : null}
              </select>
              {basics.data && !model ? <span className="muted">No route or deployment yet: add one under Routes & deployments.</span> : null}
            </Field>
            {embedding ? null : <>
            <div className="form-grid">
              <Field label="Temperature" error={numbers.typos.temperature}><input value={temperature} onChange={(e) => setTemperature(e.target.value)} inputMode="decimal" /></Field>
              <Field label="Max tokens" error={numbers.typos.maxTokens}><input value={maxTokens} onChange={(e) => setMaxTokens(e.target.value)} inputMode="numeric" placeholder="default" /></Field>
            </div>
            <Field label="Thinking">
              <select value={effort} onChange={(e) => setEffort(e.target.value as Effort)} aria-label="Thinking">
                <option value="">as the deployment does</option>
                <option value="none">off</option>
                <option value="low">low</option>
                <option value="medium">medium</option>
                <option value="high">high</option>
              </select>
            </Field>
            <Field label="System prompt">
              <textarea rows={2} value={system} onChange={(e) => setSystem(e.target.value)} placeholder="none (optional): sent with every turn" />
            </Field>
            </>}
            <FieldGroup label="Simulate failure of">
              <div className="row">
                {chain.length === 0 ? <span className="muted">pick a route</span> : null}
                {chain.map((name) => (
                  <label key={name} className="row" style={{ gap: 4 }}>
                    <input type="checkbox" checked={simulated.includes(name)} onChange={(e) => setSimulated(e.target.checked ? [...simulated, name] : simulated.filter((s) => s !== name))} aria-label={`Simulate failure of ${name}`} />
                    {name}
                  </label>
                ))}
              </div>
            </FieldGroup>
          </Card>
          <Card title={`As code (${apiLabel})`} actions={<CopyButton text={snippet}>Copy</CopyButton>}>
            <Tabs names={LANGUAGES} chosen={language} onChoose={setLanguage} label="Language">
              <Snippet>{snippet}</Snippet>
            </Tabs>
          </Card>
        </div>
      </div>
    </>
  );
}
