/**
 * `POST /v1/completions`, OpenAI's legacy text completions (editor autocomplete: a prompt, and a
 * `suffix` to fill up to). It is Ollama's generate in OpenAI's words, so it runs as one: an Ollama
 * deployment gets `/api/generate` (its own fill-in-the-middle template), a server with `completions`
 * in its APIs the request as it came, any other a chat translation; the answer goes back as a
 * `text_completion`, whole or as SSE chunks of that shape.
 */
import type Type from 'typebox';
import type { StreamFormat } from '../../http/stream-writer';
import type { RequestUsage } from '../../usage/recorder';
import { chunkText, completionText, tokensOf } from '../../wire/canonical';
import { newTextCompletionId } from '../../wire/ids';
import type { OllamaGenerateBody } from '../../wire/ollama';
import type { OllamaItem, OllamaWhole } from '../ollama/answers';
import { ollamaText, ollamaTokens } from '../ollama/lines';
import { SSE_DONE, sseData } from './codec';
import type { CompletionBodySchema } from './schemas';
import { openAIError } from '../../http/wire-errors';

export type CompletionRequest = Type.Static<typeof CompletionBodySchema>;
type Finish = 'stop' | 'length' | 'content_filter';
interface Tokens {
  input: number;
  output: number;
}

/** OpenAI's default for this endpoint when `max_tokens` is not given (Ollama's own would be unbounded). */
const DEFAULT_MAX_TOKENS = 16;

/** The request as Ollama's generate takes it: sampling in `options`, a stop string as a list. */
export function generateBody(body: CompletionRequest): OllamaGenerateBody & Record<string, unknown> {
  const options: Record<string, unknown> = { num_predict: body.max_tokens ?? DEFAULT_MAX_TOKENS };
  for (const key of ['temperature', 'top_p', 'seed', 'presence_penalty', 'frequency_penalty'] as const) if (typeof body[key] === 'number') options[key] = body[key];
  if (body.stop !== undefined && body.stop !== null) options.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  const prompt = typeof body.prompt === 'string' ? body.prompt : (body.prompt[0] as string);
  return { model: body.model, prompt, ...(body.suffix ? { suffix: body.suffix } : {}), stream: body.stream === true, options };
}

const finishOf = (reason: unknown): Finish => (reason === 'length' || reason === 'content_filter' ? reason : 'stop');

function answerOf(item: OllamaWhole): { text: string; finish: Finish; tokens: Tokens | undefined } {
  if ('line' in item) return { text: ollamaText(item.line), finish: finishOf(item.line.done_reason), tokens: ollamaTokens(item.line) };
  return { text: completionText(item.completion), finish: finishOf(item.completion.choices[0]?.finish_reason), tokens: tokensOf(item.completion.usage) };
}

const usageOf = (tokens: Tokens) => ({ prompt_tokens: tokens.input, completion_tokens: tokens.output, total_tokens: tokens.input + tokens.output });

export function textCompletion(whole: OllamaWhole, model: string, usage: RequestUsage | undefined) {
  const { text, finish, tokens } = answerOf(whole);
  if (tokens) usage?.reported(tokens);
  usage?.delivered(text);
  usage?.answered();
  return {
    id: newTextCompletionId(),
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
    ...(tokens ? { usage: usageOf(tokens) } : {}),
  };
}

/** SSE of `text_completion` chunks (`finish_reason` null until the last, as OpenAI sends them), then `[DONE]`. */
export function completionSse(model: string, includeUsage: boolean, usage: RequestUsage | undefined): StreamFormat<OllamaItem> {
  const shell = { id: newTextCompletionId(), object: 'text_completion', created: Math.floor(Date.now() / 1000), model };
  const chunk = (text: string, finish: Finish | null) => sseData({ ...shell, choices: [{ text, index: 0, logprobs: null, finish_reason: finish }] });
  let finish: Finish = 'stop';
  let tokens: Tokens | undefined;
  return {
    contentType: 'text/event-stream; charset=utf-8',
    event(item) {
      let text: string;
      if ('line' in item) {
        text = ollamaText(item.line);
        if (item.line.done === true) finish = finishOf(item.line.done_reason);
        tokens = ollamaTokens(item.line) ?? tokens;
      } else {
        text = chunkText(item.chunk);
        const reason = item.chunk.choices[0]?.finish_reason;
        if (reason) finish = finishOf(reason);
        tokens = tokensOf(item.chunk.usage) ?? tokens;
      }
      if (tokens) usage?.reported(tokens);
      usage?.delivered(text);
      return text ? chunk(text, null) : '';
    },
    end: () => chunk('', finish) + (includeUsage && tokens ? sseData({ ...shell, choices: [], usage: usageOf(tokens) }) : '') + SSE_DONE,
    error: (failure, message) => sseData({ error: openAIError({ status: 502, message, type: 'api_error', param: null, code: failure.failure }) }),
  };
}
