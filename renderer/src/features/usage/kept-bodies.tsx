/**
 * A request's prompt and answer in its drawer, when the usage log kept them ("Store prompts and
 * answers" in Settings): the start of each (a prompt may be megabytes), the request pretty-printed
 * when it is JSON, and either one whole as a download.
 */
import { useQuery } from '@tanstack/react-query';
import { usageQueries } from '../../api/queries/usage';
import type { UsageBodies } from '../../api/types';
import { ErrorNote, Loading } from '../../ui/parts';

export function KeptBodies({ requestId }: { requestId: string }) {
  const bodies = useQuery(usageQueries.bodies(requestId));
  if (bodies.isPending) return <Loading what="the prompt and answer" />;
  if (bodies.isError) return <ErrorNote error={bodies.error} />;
  if (!bodies.data.request && !bodies.data.answer) {
    return <p className="muted">Not kept for this request: prompts and answers are stored only while "Store prompts and answers" is on (Settings), for the days set there.</p>;
  }
  return (
    <>
      <Body title="Request" requestId={requestId} part="request" kept={bodies.data.request} json />
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
      <pre className="snippet kept-body">{json && whole ? pretty(kept.text) : kept.text}</pre>
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
