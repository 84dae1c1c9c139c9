/**
 * OpenAI's text completions read as Ollama's generate lines, so an upstream that serves
 * `/v1/completions` itself fits the generate path (cache, usage, both front doors' encoders): the
 * text as `response`, and a final `done: true` line with the finish reason and the counts.
 */
import type { NativeEvent } from '../providers/types';

interface TextCompletion {
  model?: unknown;
  choices?: { text?: unknown; finish_reason?: unknown }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
}

function final(finish: unknown, usage: TextCompletion['usage'], model: unknown): Record<string, unknown> {
  const counts = usage && typeof usage.prompt_tokens === 'number' ? { prompt_eval_count: usage.prompt_tokens, eval_count: typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0 } : {};
  return { model, created_at: new Date().toISOString(), response: '', done: true, done_reason: finish === 'length' ? 'length' : 'stop', ...counts };
}

const textOf = (answer: TextCompletion) => (typeof answer.choices?.[0]?.text === 'string' ? answer.choices[0].text : '');

/** A whole text completion as one whole generate answer. */
export function lineFromTextCompletion(answer: Record<string, unknown>): Record<string, unknown> {
  const completion = answer as TextCompletion;
  return { ...final(completion.choices?.[0]?.finish_reason, completion.usage, completion.model), response: textOf(completion) };
}

/** Streamed text completion chunks as generate lines; the finish reason and usage (sent last) make the final line. */
export async function* linesFromTextCompletions(events: AsyncIterable<NativeEvent>): AsyncGenerator<Record<string, unknown>> {
  let finish: unknown;
  let usage: TextCompletion['usage'];
  let model: unknown;
  for await (const { data } of events) {
    const chunk = data as TextCompletion;
    model ??= chunk.model;
    finish = chunk.choices?.[0]?.finish_reason ?? finish;
    usage = chunk.usage ?? usage;
    const text = textOf(chunk);
    if (text) yield { model, created_at: new Date().toISOString(), response: text, done: false };
  }
  yield final(finish, usage, model);
}
