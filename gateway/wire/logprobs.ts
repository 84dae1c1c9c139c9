/**
 * Token log probabilities between OpenAI's shape (a choice's `logprobs.content`, each token with its
 * `bytes` and a `top_logprobs` list) and Ollama's (since 0.12.11: a `logprobs` list at the top of each
 * line and whole answer, `top_logprobs` only when alternatives were asked for). Both ask with the
 * same two request fields, so a client that asks gets them whichever server answers. The Responses
 * API has them on its output text (bytes always a list) and, fewer fields, on each text delta.
 */
import type { ChatCompletion, ChatCompletionTokenLogprob } from 'openai/resources/chat/completions';
import type { ResponseOutputText, ResponseTextDeltaEvent } from 'openai/resources/responses/responses';

export type ChoiceLogprobs = ChatCompletion.Choice.Logprobs;

export interface OllamaTokenLogprob {
  token: string;
  logprob: number;
  bytes?: number[];
}

export interface OllamaLogprob extends OllamaTokenLogprob {
  top_logprobs?: OllamaTokenLogprob[];
}

/** An Ollama line's or answer's `logprobs` as a choice's; null when it has none (an upstream's odd entries are left out). */
export function logprobsFromOllama(entries: unknown): ChoiceLogprobs | null {
  if (!Array.isArray(entries) || entries.length === 0) return null;
  const content: ChatCompletionTokenLogprob[] = [];
  for (const entry of entries as OllamaLogprob[]) {
    const token = asOpenAI(entry);
    if (!token) continue;
    const top = Array.isArray(entry.top_logprobs) ? entry.top_logprobs.map(asOpenAI).filter((t) => t !== undefined) : [];
    content.push({ ...token, top_logprobs: top });
  }
  return { content, refusal: null };
}

function asOpenAI(entry: OllamaTokenLogprob | null | undefined): Omit<ChatCompletionTokenLogprob, 'top_logprobs'> | undefined {
  if (typeof entry?.token !== 'string' || typeof entry.logprob !== 'number') return undefined;
  return { token: entry.token, logprob: entry.logprob, bytes: Array.isArray(entry.bytes) ? entry.bytes : null };
}

/** A choice's content logprobs in Ollama's shape; undefined when it has none. */
export function ollamaLogprobs(logprobs: ChoiceLogprobs | null | undefined): OllamaLogprob[] | undefined {
  const content = logprobs?.content;
  if (!Array.isArray(content) || content.length === 0) return undefined;
  return content.map(({ token, logprob, bytes, top_logprobs }) => ({
    ...asOllama({ token, logprob, bytes }),
    ...(top_logprobs?.length ? { top_logprobs: top_logprobs.map(asOllama) } : {}),
  }));
}

function asOllama({ token, logprob, bytes }: Omit<ChatCompletionTokenLogprob, 'top_logprobs'>): OllamaTokenLogprob {
  return { token, logprob, ...(bytes ? { bytes } : {}) };
}

/** A choice's content logprobs as a Responses output text's. */
export function outputTextLogprobs(logprobs: ChoiceLogprobs | null | undefined): ResponseOutputText.Logprob[] {
  const withBytes = ({ token, logprob, bytes }: Omit<ChatCompletionTokenLogprob, 'top_logprobs'>) => ({ token, logprob, bytes: bytes ?? [...Buffer.from(token, 'utf8')] });
  return (logprobs?.content ?? []).map((entry) => ({ ...withBytes(entry), top_logprobs: (entry.top_logprobs ?? []).map(withBytes) }));
}

/** The same as a Responses text delta event's. */
export function deltaLogprobs(logprobs: ChoiceLogprobs | null | undefined): ResponseTextDeltaEvent.Logprob[] {
  return (logprobs?.content ?? []).map(({ token, logprob, top_logprobs }) => ({ token, logprob, top_logprobs: (top_logprobs ?? []).map((t) => ({ token: t.token, logprob: t.logprob })) }));
}

/** The content logprobs of several chunks of one choice as one list (a stream put together whole). */
export function joinedLogprobs(parts: readonly (ChoiceLogprobs | null | undefined)[]): ChoiceLogprobs | null {
  const content = parts.flatMap((part) => part?.content ?? []);
  return content.length > 0 ? { content, refusal: null } : null;
}
