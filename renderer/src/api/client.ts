/** The admin API client: same origin, the session cookie rides along, errors become typed ApiErrors. */
import { createParser } from 'eventsource-parser';
import type { ErrorBody } from './types';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    /** Field errors by field path (relative to the edited item when the server knows it). */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
  /** Which stretch of contact with the gateway the request was made in (contactRegained() starts the next). */
  readonly stretch = contact.stretch;
  get unreachable(): boolean {
    return this.status === 0;
  }
  /** Refused for want of a session: it ended, or its cookie is gone. */
  get signedOut(): boolean {
    return this.code === 'admin_session_required';
  }
  /** The page lost the gateway (no session, no answer), rather than this request failing on its own. */
  get lostContact(): boolean {
    return this.signedOut || this.unreachable;
  }
  /** Said of a contact the page has since regained: old news, not this card's or form's problem now. */
  get outdated(): boolean {
    return this.lostContact && this.stretch < contact.stretch;
  }
}

/** The page's contact with the gateway: which stretch of it the page is in, and who hears it lost and regained. */
const contact = { stretch: 0, lost: new Set<() => void>(), regained: new Set<() => void>() };

/** The page has the gateway again (a session, an answer) after losing it: what was said of its loss is outdated. */
export function contactRegained(): void {
  contact.stretch++;
  for (const listener of contact.regained) listener();
}

/** For useSyncExternalStore: the stretch of contact the page is in, and word of each new one. */
export const contactStretch = {
  subscribe(listener: () => void): () => void {
    contact.regained.add(listener);
    return () => contact.regained.delete(listener);
  },
  current: (): number => contact.stretch,
};

/** Tells `listener` of every request that found no session or no gateway, whoever made it: the page as a whole lost it, not one card. */
export function onContactLost(listener: () => void): () => void {
  contact.lost.add(listener);
  return () => contact.lost.delete(listener);
}

function failed(error: ApiError): ApiError {
  if (error.lostContact) for (const listener of contact.lost) listener();
  return error;
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      credentials: 'same-origin',
      headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) },
    });
  } catch (error) {
    // Stopped on purpose (the playground's Stop): not the gateway's absence.
    if (init.signal?.aborted) throw error;
    throw failed(new ApiError('The Switchyard gateway cannot be reached. Is it still running?', 0, 'unreachable'));
  }
  const text = await response.text();
  const body = text ? safeJson(text) : undefined;
  if (!response.ok) {
    // A proxy's or a crashed server's answer may be anything: read as the admin API's error body where it is one.
    const { error, errors } = (typeof body === 'object' && body !== null ? body : {}) as Partial<ErrorBody>;
    const fields: Record<string, string> = {};
    for (const issue of errors ?? []) fields[issue.field ?? issue.path] = issue.message;
    throw failed(new ApiError(error?.message ?? `Request failed (${response.status})`, response.status, error?.code ?? null, fields));
  }
  return body as T;
}

export const send = <T>(path: string, method: string, body?: unknown, signal?: AbortSignal) => api<T>(path, { method, signal, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * POSTs a body and hands each Server-Sent Event's JSON data to `onEvent` as it arrives (the
 * playground's stream). Errors before the stream begins are thrown as ApiErrors, like `api`; an
 * aborted `signal` ends the request (the gateway then cancels the upstream's) and throws its reason.
 */
export async function streamEvents<T>(path: string, body: unknown, onEvent: (event: T) => void, signal?: AbortSignal): Promise<void> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw failed(new ApiError('The Switchyard gateway cannot be reached. Is it still running?', 0, 'unreachable'));
  }
  if (!response.ok || !response.body) {
    const error = (safeJson(await response.text()) as { error?: { message?: string; code?: string } } | undefined)?.error;
    throw failed(new ApiError(error?.message ?? `Request failed (${response.status})`, response.status, error?.code ?? null));
  }
  const parser = createParser({ onEvent: (event) => onEvent(JSON.parse(event.data) as T) });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    parser.feed(value);
  }
}

/** The data of each event in a whole SSE text (an answer a front door streamed, captured), read by the same parser as a live stream. */
export function eventData(text: string): string[] {
  const data: string[] = [];
  const parser = createParser({ onEvent: (event) => data.push(event.data) });
  parser.feed(text);
  parser.reset({ consume: true });
  return data;
}
