/**
 * A request's prompt and answer in its drawer, when the usage log kept them ("Store prompts and
 * answers" in Settings): the start of each (a prompt may be megabytes), the request pretty-printed
 * when it is JSON, either one whole as a download, and the request as a curl command that sends it
 * again (is it still failing? does the route answer it now?).
 */
import { useQuery } from '@tanstack/react-query';
import { configQueries } from '../../api/queries/config';
import { usageQueries } from '../../api/queries/usage';
import type { UsageBodies } from '../../api/types';
import { ErrorNote, Loading, Snippet } from '../../ui/parts';
import { CopyButton } from '../../ui/copy-button';
import { curlOf } from './as-curl';

export function KeptBodies({ requestId, endpoint }: { requestId: string; endpoint: string }) {
  const bodies = useQuery(usageQueries.bodies(requestId));
  if (bodies.isPending) return <Loading what="the prompt and answer" />;
  if (bodies.isError) return <ErrorNote error={bodies.error} />;
  if (!bodies.data.request && !bodies.data.answer) {
    return <p className="muted">Not kept for this request: prompts and answers are stored only while "Store prompts and answers" is on (Settings), for the days set there.</p>;
  }
  return (
    <>
      <Body title="Request" requestId={requestId} part="request" kept={bodies.data.request} json />
      {bodies.data.request ? <AsCurl endpoint={endpoint} kept={bodies.data.request} /> : null}
      <Body title="Answer" requestId={requestId} part="answer" kept={bodies.data.answer} />
    </>
  );
}

function Body({ title, requestId, part, kept, json = false }: { title: string; requestId: string; part: 'request' | 'answer'; kept: UsageBodies['request']; json?: boolean }) {
  if (!kept) return null;
  const whole = kept.text.length === kept.length;
  return (
    <details open={part === 'answer'} aria-label={`${title} as kept`}>
      <summary>
        {title} <span className="muted">({kept.length.toLocaleString()} characters{whole ? '' : `, the first ${kept.text.length.toLocaleString()} shown`})</span>{' '}
        <a href={usageQueries.bodyUrl(requestId, part)} download>Download</a>
      </summary>
      <Snippet className="kept-body">{json && whole ? pretty(kept.text) : kept.text}</Snippet>
    </details>
  );
}

function AsCurl({ endpoint, kept }: { endpoint: string; kept: NonNullable<UsageBodies['request']> }) {
  const clients = useQuery(configQueries.clients());
  const whole = kept.text.length === kept.length;
  const command = curlOf(window.location.origin, endpoint, whole ? kept.text : undefined, clients.data?.keyRequired ?? false);
  if (!command) return null;
  return (
    <details aria-label="Request as curl">
      <summary>
        Send it again with curl{' '}
        <CopyButton className="link" text={command}>Copy</CopyButton>
      </summary>
      {whole ? null : <p className="muted">The request is longer than shown here: download it, save it as request.json, and run this beside it.</p>}
      <Snippet className="kept-body">{command}</Snippet>
    </details>
  );
}

/** JSON laid out to read; anything else (cut short, not JSON) as it is. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
