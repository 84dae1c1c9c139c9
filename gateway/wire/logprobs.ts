/**
 * Token log probabilities between OpenAI's shape (a choice's `logprobs.content`, each token with its
 * `bytes` and a `top_logprobs` list) and Ollama's (since 0.12.11: a `logprobs` list at the top of each
 * line and whole answer, `top_logprobs` only when alternatives were asked for). Both ask with the
 * same two request fields, so a client that asks gets them whichever server answers.
 */
import type { ChatCompletion, ChatCompletionTokenLogprob } from 'openai/resources/chat/completions';

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

/** The content logprobs of several chunks of one choice as one list (a stream put together whole). */
export function joinedLogprobs(parts: readonly (ChoiceLogprobs | null | undefined)[]): ChoiceLogprobs | null {
  const content = parts.flatMap((part) => part?.content ?? []);
  return content.length > 0 ? { content, refusal: null } : null;
}
