/**
 * Which failures move a route's request on to its next deployment (its `fallbackOn`), said in its
 * card: the failure classes, ticked, and any upstream status codes, typed. Unticked, it goes back to
 * the gateway's default: every failure that is the deployment's own, not a request the upstream
 * found wrong.
 */
import type { RouteConfig } from '../../api/types';
import { OverrideChecklist } from '../../ui/override-checklist';
import { Field } from '../../ui/parts';

type Entry = NonNullable<RouteConfig['fallbackOn']>[number];
/** A client that left moves nothing on, so it is not offered (and is kept if the config file lists it). */
type FailureClass = Exclude<Entry, number | 'client_closed'>;

/** Each failure in the words of the form; every one the config knows, checked by the compiler. */
const FAILURE_LABELS = {
  connect: 'cannot connect',
  timeout: 'timed out',
  upstream_5xx: 'server error (5xx)',
  rate_limited: 'rate limited (429)',
  upstream_protocol: 'garbled answer',
  auth: 'key refused (401, 403)',
  model_missing: 'not found (404)',
  quota: 'quota or credit spent',
  context_length: 'prompt too long for it',
  unsupported: 'cannot do what is asked (tools, images)',
  upstream_4xx: 'bad request (other 4xx)',
} satisfies Record<FailureClass, string>;

/** The gateway's default (routing/retry.ts, kept in step by test/renderer/fallback-on.test.ts). */
export const DEFAULT_FALLBACK_ON: FailureClass[] = ['connect', 'timeout', 'upstream_5xx', 'rate_limited', 'upstream_protocol', 'auth', 'model_missing', 'quota', 'context_length', 'unsupported'];

export interface FallbackDraft {
  /** undefined: the default. */
  classes: FailureClass[] | undefined;
  codes: string;
}

export function fallbackDraft(route: RouteConfig): FallbackDraft {
  const list = route.fallbackOn;
  if (list === undefined) return { classes: undefined, codes: '' };
  return { classes: list.filter((e): e is FailureClass => Object.hasOwn(FAILURE_LABELS, e)), codes: list.filter((e) => typeof e === 'number').join(', ') };
}

/** The list as the config takes it (undefined: the default), or a problem with the codes typed. */
export function readFallback(draft: FallbackDraft, route: RouteConfig): { value: Entry[] | undefined } | { problem: string } {
  if (draft.classes === undefined) return { value: undefined };
  const words = draft.codes.split(/[\s,]+/).filter(Boolean);
  const codes: number[] = [];
  for (const word of words.slice(0, 64)) {
    const code = Number(word);
    if (!Number.isInteger(code) || code < 400 || code > 599) return { problem: `"${word}" is not a status code from 400 to 599` };
    if (!codes.includes(code)) codes.push(code);
  }
  const kept = (route.fallbackOn ?? []).filter((e) => e === 'client_closed');
  return { value: [...draft.classes, ...kept, ...codes] };
}

export function FallbackOnField({ route, draft, error, onChange }: { route: string; draft: FallbackDraft; error: string | undefined; onChange: (draft: FallbackDraft) => void }) {
  return (
    <>
      <OverrideChecklist
        say="Move on to the next deployment only on these failures, instead of on every failure of the deployment's own"
        group={`Failures that move ${route} on`}
        labels={FAILURE_LABELS}
        value={draft.classes}
        initial={() => DEFAULT_FALLBACK_ON}
        allowNone
        onChange={(classes) => onChange({ classes, codes: classes === undefined ? '' : draft.codes })}
      />
      {draft.classes !== undefined || error ? (
        <Field label="And on these status codes (e.g. 400, 409)" error={error}>
          <input value={draft.codes} aria-label={`Status codes that move ${route} on`} disabled={draft.classes === undefined} onChange={(e) => onChange({ ...draft, codes: e.target.value })} />
        </Field>
      ) : null}
    </>
  );
}
