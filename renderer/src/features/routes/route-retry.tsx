/**
 * A route's retry, fallback and breaker settings, in its card: attempts per deployment and the waits
 * between them, the deadline, which failures move on (fallback-on.tsx), and the breaker of its
 * deployments that set none. Numbers are kept as typed and read on Save; a typo is named under its
 * field and nothing is sent. Saved as one merge patch: an emptied field goes back to its default.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { routeMutations } from '../../api/queries/config';
import type { RouteConfig, RoutePatch } from '../../api/types';
import { numberReader } from '../../ui/numbers';
import { ErrorNote, Field } from '../../ui/parts';
import { useEdits } from '../../ui/unsaved';
import { BreakerFields, breakerText, readBreaker } from '../routing/breaker-fields';
import { mergePatchBetween, withFields } from '../../api/merge-patch';
import { FallbackOnField, fallbackDraft, readFallback } from './fallback-on';

export function RouteRetry({ route }: { route: RouteConfig }) {
  const client = useQueryClient();
  const save = useMutation(routeMutations.patch(client, route.name));
  // What the card shows, as it was drawn or last saved: a save sends only what was changed since, so
  // a field changed elsewhere meanwhile (another window, an import) stays as the gateway holds it.
  const [shownRoute, setShownRoute] = useState(route);
  const [text, setText] = useState({
    attempts: String(route.retry?.attempts ?? ''),
    deadlineMs: String(route.deadlineMs ?? ''),
    backoffMs: String(route.retry?.backoffMs ?? ''),
    maxBackoffMs: String(route.retry?.maxBackoffMs ?? ''),
    retryAfterCapMs: String(route.retry?.retryAfterCapMs ?? ''),
  });
  const [fallback, setFallback] = useState(() => fallbackDraft(route));
  const [breaker, setBreaker] = useState(() => breakerText(route.breaker));
  const [typos, setTypos] = useState<Record<string, string>>({});
  const saved = useEdits(`the retry settings of route ${route.name}`, { text, fallback, breaker });
  const fields: Record<string, string | undefined> = { ...(save.error instanceof ApiError ? save.error.fields : {}), ...typos };
  const submit = () => {
    const reader = numberReader();
    const { read, typos: found } = reader;
    const retry = { attempts: read('retry.attempts', text.attempts), backoffMs: read('retry.backoffMs', text.backoffMs), maxBackoffMs: read('retry.maxBackoffMs', text.maxBackoffMs), retryAfterCapMs: read('retry.retryAfterCapMs', text.retryAfterCapMs) };
    const deadlineMs = read('deadlineMs', text.deadlineMs);
    const shown = readBreaker(breaker, reader);
    const fallbackOn = readFallback(fallback, shownRoute);
    if ('problem' in fallbackOn) found.fallbackOn = fallbackOn.problem;
    setTypos(found);
    if (Object.keys(found).length > 0 || 'problem' in fallbackOn) return;
    const after: RouteConfig = { ...shownRoute, retry: withFields(shownRoute.retry, retry), deadlineMs, fallbackOn: fallbackOn.value, breaker: withFields(shownRoute.breaker, shown) };
    const patch: RoutePatch = mergePatchBetween(shownRoute, after);
    const sent = { text, fallback, breaker };
    save.mutate(patch, { onSuccess: () => (setShownRoute(after), saved(sent)) });
  };
  const numberField = (key: keyof typeof text, path: string, label: string, placeholder = '') => (
    <Field label={label} error={fields[path]}>
      <input value={text[key]} placeholder={placeholder} onChange={(e) => setText({ ...text, [key]: e.target.value })} inputMode="numeric" />
    </Field>
  );
  return (
    <details style={{ marginTop: 10 }}>
      <summary>Retry, fallback and breaker</summary>
      <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <div className="form-grid" style={{ marginTop: 8 }}>
          {numberField('attempts', 'retry.attempts', 'Attempts per deployment', '1')}
          {numberField('deadlineMs', 'deadlineMs', 'Deadline (ms, empty for none)')}
          {numberField('backoffMs', 'retry.backoffMs', 'First retry after (ms, then doubling)', '250')}
          {numberField('maxBackoffMs', 'retry.maxBackoffMs', 'Retry waits at most (ms)', '5000')}
          {numberField('retryAfterCapMs', 'retry.retryAfterCapMs', 'Retry-After obeyed up to (ms; longer: the next deployment)', '60000')}
        </div>
        <FallbackOnField route={route.name} draft={fallback} error={fields.fallbackOn} onChange={setFallback} />
        <p className="muted">The breaker of each deployment here that sets none itself (a deployment in several routes takes the first one&apos;s).</p>
        <BreakerFields owner={route.name} text={breaker} errors={fields} onChange={setBreaker} />
        <button type="submit" disabled={save.isPending}>Save retry settings</button>
        {save.isSuccess && Object.keys(typos).length === 0 ? <span className="muted"> Saved</span> : null}
        {save.isError && Object.keys(fields).length === 0 ? <ErrorNote error={save.error} /> : null}
      </form>
    </details>
  );
}
