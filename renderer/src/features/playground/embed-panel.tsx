/**
 * The playground for an embedding route or deployment: texts, a line each, embedded through the
 * front door the settings name, with each text's vector (its size and first numbers), how alike
 * each is to the first text (what a search by meaning would rank by), and the answer's trace.
 */
import { useEffect, useRef, useState } from 'react';
import { send } from '../../api/client';
import type { PlaygroundWireAnswer } from '../../api/types';
import { Card, ErrorNote } from '../../ui/parts';
import { StackedTable } from '../../ui/stacked-table';
import { embedRequestFor, similarity, textsOf, vectorsOf, type EmbedApi } from './embed-wire';
import { TraceView } from './trace-view';
import { answerError, traceOf } from './wire';

interface Embedded {
  texts: string[];
  vectors: number[][];
  trace: ReturnType<typeof traceOf>;
}

export function EmbedPanel({ model, api, simulated, typed, onType }: { model: string; api: EmbedApi; simulated: string[]; typed: string; onType: (text: string) => void }) {
  const [embedded, setEmbedded] = useState<Embedded | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const stopper = useRef<AbortController | null>(null);
  useEffect(() => () => stopper.current?.abort(), []);
  const texts = textsOf(typed);

  async function embed() {
    if (texts.length === 0 || !model) return;
    setError(null);
    setBusy(true);
    const stop = new AbortController();
    stopper.current = stop;
    try {
      const answer = await send<PlaygroundWireAnswer>('/admin/api/playground/wire', 'POST', { api, body: embedRequestFor(model, texts), simulateFailures: simulated }, stop.signal);
      if (answer.status >= 400) setError(new Error(answerError(answer.answer) ?? `The front door answered ${answer.status}`));
      // An embedding comes whole: its "first token" would only repeat the total.
      setEmbedded({ texts, vectors: answer.status >= 400 ? [] : vectorsOf(api, answer.answer), trace: { ...traceOf(answer), firstTokenMs: null } });
    } catch (caught) {
      if (!stop.signal.aborted) setError(caught);
    } finally {
      stopper.current = null;
      setBusy(false);
    }
  }

  return (
    <Card title="Texts to embed">
      <form onSubmit={(e) => { e.preventDefault(); void embed(); }}>
        <textarea rows={5} value={typed} onChange={(e) => onType(e.target.value)} placeholder={'A line for each text, e.g.\nHow do I reset my password?\nSteps to change a password'} aria-label="Texts to embed" onKeyDown={(e) => { if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void embed(); }} />
        <div className="row" style={{ marginTop: 8 }}>
          <button className="primary" type="submit" disabled={busy || texts.length === 0 || !model}>{busy ? 'Embedding...' : 'Embed'}</button>
          <span className="muted">{texts.length === 1 ? '1 text' : `${texts.length} texts`} · Ctrl+Enter</span>
        </div>
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {embedded && embedded.vectors.length > 0 ? <Vectors embedded={embedded} /> : null}
      {embedded ? <TraceView trace={embedded.trace} /> : null}
    </Card>
  );
}

function Vectors({ embedded: { texts, vectors } }: { embedded: Embedded }) {
  const first = vectors[0] ?? [];
  return (
    <StackedTable data-testid="vectors">
      <thead>
        <tr><th>Text</th><th>Size</th><th>First numbers</th>{texts.length > 1 ? <th>Like the first</th> : null}</tr>
      </thead>
      <tbody>
        {texts.map((text, i) => {
          const vector = vectors[i] ?? [];
          const alike = similarity(first, vector);
          return (
            <tr key={i}>
              <td data-label="Text" className="long-text">{text}</td>
              <td data-label="Size">{vector.length}</td>
              <td data-label="First numbers" className="mono">{vector.slice(0, 4).map((n) => n.toFixed(4)).join(', ')}{vector.length > 4 ? ', ...' : ''}</td>
              {texts.length > 1 ? <td data-label="Like the first">{i === 0 ? '-' : alike === null ? 'cannot compare' : alike.toFixed(3)}</td> : null}
            </tr>
          );
        })}
      </tbody>
    </StackedTable>
  );
}
