/**
 * A fake OpenAI-compatible upstream speaking the wire format of ../shared/specs/openai-openapi.yaml: chat completions (JSON and
 * SSE with `[DONE]`, usage chunk on `include_usage`, tool calls), embeddings (float and base64, within OpenAI's limits: openai-embeddings.ts), the models list, and OpenAI's
 * error bodies. test/fakes.test.ts checks its output against the spec so it cannot drift.
 */
import type { ServerResponse } from 'node:http';
import { resetAfterFlush, sendJson, startFakeServer, type FailureMode, type FakeServer, type RecordedRequest } from './fake-server';
import { cutAtStop, fakeLogprob, replyFor, wordsOf } from './replies';
import { answerResponses, obfuscation, RESPONSES_BESIDE } from './responses-wire';
import { chatRefusal, responsesRefusal, type RefusalOptions } from './openai-refusals';
import { embeddings } from './openai-embeddings';
import { usageAsServed, usageFor, type UsageShape } from './served-usage';
import { streamLabel, wholeWithQuirk, withQuirk } from './chunk-quirks';

export interface FakeOpenAIOptions extends UsageShape, RefusalOptions {
  /** Milliseconds between stream chunks. */
  chunkDelayMs?: number;
  /** Milliseconds before the response headers. */
  firstByteDelayMs?: number;
  /** Behave like servers that report no usage at all. */
  omitUsage?: boolean;
  /**
   * Where reasoning goes when a request asks for it (reasoning_effort): DeepSeek and vLLM say
   * `reasoning_content`, Ollama's and OpenRouter's OpenAI APIs `reasoning`; OpenAI's own sends none.
   */
  reasoningField?: 'reasoning_content' | 'reasoning';
  /** The account its Responses reasoning is encrypted for (default: one of its own). */
  account?: string;
  /** Stream as MiniMax on NVIDIA NIM and GLM on Fireworks do: every fragment of a call repeats its id, type and name. */
  repeatsCallHeaders?: boolean;
  /** End a stream as ik_llama.cpp and llama-box do: after the finish reason (and usage), with no `[DONE]`. */
  endsWithoutDone?: boolean;
  /** End a stream with `[DONE]` but no chunk giving a finish reason, as OpenCode Zen's muse models did (opencode#43379). */
  omitsFinishReason?: boolean;
  /** Number every streamed call 0, each with its own id, a call's header then its fragments, as Ollama's OpenAI API (ollama#15457) and LiteLLM's bridges do. */
  everyCallIndexZero?: boolean;
  /** Change a call's id after its first fragment, as Poolside's API does (later fragments carry another id, and no name). */
  changesCallId?: boolean;
  /** Answer every chat request as an event stream, `stream: false` too, as Unsloth Studio's server did (unslothai/unsloth#6570). */
  alwaysStreams?: boolean;
  /** Answer every chat request whole, as JSON, `stream: true` too, as a company's OpenAI proxy that does not stream does. */
  neverStreams?: boolean;
  /** Name each call only in its second fragment, the first carrying its id and the start of its arguments, as llama.cpp's parser did before May 2026 (opencode#6649). */
  namesCallsLate?: boolean;
  /** Give each call's arguments as an object, each call whole in one chunk, as llama.cpp's server did in March 2026 (off the spec). */
  argumentsAsObjects?: boolean;
  /** Answer Responses as GPT-5.3-codex and later do: a commentary preamble first, the answer marked `final_answer`, reasoning summarised in two parts. */
  speaksInPhases?: boolean;
  /** Prompt tokens its Responses answers say were written to the prompt cache (`input_tokens_details.cache_write_tokens`). */
  responsesCacheWrites?: number;
  /** Send a `keepalive` event after `response.in_progress`, as OpenAI's Responses streams do during a long think (undocumented, seen since 2026). */
  responsesKeepalives?: boolean;
  /** Serve Responses without `/v1/responses/compact` and `/input_tokens`, as vLLM and LM Studio do (404s). */
  withoutCompaction?: boolean;
  /** Answer chat with nothing visible (a thinking model that spent its answer on reasoning). */
  writesNothing?: boolean;
  /** Its models list's entries as the server gives them (vLLM's with `max_model_len`, Groq's with `context_window`, ...); default one gpt-4.1-mini. */
  models?: Record<string, unknown>[];
  /** Give the models list as a bare array, as Together's API does, not `{object, data}`. */
  bareModelsList?: boolean;
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeServer> {
  // The account its Responses reasoning is encrypted for: another fake's cannot be read here.
  const account = options.account ?? `acct_${Math.random().toString(36).slice(2, 10)}`;
  return startFakeServer(async (request, res, mode) => {
    if (options.firstByteDelayMs) await delay(options.firstByteDelayMs);
    if (mode.kind === 'status') return sendError(res, mode);
    if (request.method === 'GET' && request.path === '/v1/models') {
      const data = options.models ?? [{ id: 'gpt-4.1-mini', object: 'model', created: 1_700_000_000, owned_by: 'openai' }];
      return sendJson(res, 200, options.bareModelsList ? data : { object: 'list', data });
    }
    if (request.method === 'POST' && request.path === '/v1/chat/completions') return chat(request, res, mode, options);
    if (request.method === 'POST' && request.path === '/v1/responses') {
      const refused = responsesRefusal(request.body, options);
      if (refused) return sendJson(res, refused.status, refused.body);
      return answerResponses(request, res, mode, options.chunkDelayMs, account, { inPhases: options.speaksInPhases, cacheWrites: options.responsesCacheWrites, keepalive: options.responsesKeepalives, billsPerToken: options.billsInTicks ? options.billsPerToken : undefined, obfuscates: true, wholeInDone: options.chunkQuirk === 'whole-in-done', reasonsInFull: options.chunkQuirk === 'reasoning-text' });
    }
    if (request.method === 'POST' && Object.hasOwn(RESPONSES_BESIDE, request.path) && !options.withoutCompaction) return sendJson(res, 200, RESPONSES_BESIDE[request.path]?.(request.body, account));
    if (request.method === 'POST' && request.path === '/v1/embeddings') return embeddings(request, res, mode);
    if (request.method === 'POST' && request.path === '/v1/completions') return textCompletions(request, res, options);
    sendJson(res, 404, { error: { message: `Invalid URL (${request.method} ${request.path})`, type: 'invalid_request_error', param: null, code: null } });
  });
}

function sendError(res: ServerResponse, mode: Extract<FailureMode, { kind: 'status' }>): void {
  const type = mode.status === 429 ? 'rate_limit_error' : mode.status >= 500 ? 'server_error' : 'invalid_request_error';
  const body = mode.body ?? { error: { message: `fake upstream error ${mode.status}`, type, param: null, code: mode.status === 429 ? 'rate_limit_exceeded' : null } };
  sendJson(res, mode.status, body, mode.retryAfter ? { 'retry-after': mode.retryAfter } : {});
}

const CREATED = 1_763_000_000;
/** A tool call's id: OpenAI's `call_...`, Kimi's `functions.<name>:<index>` (as Moonshot's API and the servers that host Kimi K2 give them), or Mistral's nine letters and digits. */
const callId = (model: unknown, name: string, index: number) => (/kimi/i.test(String(model)) ? `functions.${name}:${index}` : /stral/i.test(String(model)) ? `Mst00000${index + 1}` : `call_fake${index + 1}`);

async function chat(request: RecordedRequest, res: ServerResponse, mode: FailureMode, options: FakeOpenAIOptions): Promise<void> {
  const body = request.body;
  const refused = chatRefusal(body, options);
  if (refused) return sendJson(res, refused.status, refused.body);
  const answer = replyFor(body.messages, body.tools, { reasoning: body.reasoning_effort !== undefined && body.reasoning_effort !== 'none' });
  answer.content = cutAtStop(answer.content, body.stop).text;
  if (options.writesNothing) answer.content = '';
  if (mode.kind === 'huge') answer.content = 'x '.repeat(Math.ceil(mode.bytes / 2));
  const id = `chatcmpl-fake${request.path.length}${Date.now() % 100000}`;
  const usage = usageAsServed(usageFor(answer.content, options.promptTokens), options);
  if (mode.kind === 'malformed-json') {
    res.writeHead(200, { 'content-type': body.stream ? 'text/event-stream' : 'application/json' });
    res.end(body.stream ? 'data: {"id": "chatcmpl-broken", "choices": [\n\n' : '{"id": "chatcmpl-broken", "choices": [');
    return;
  }
  if ((!body.stream || options.neverStreams) && !options.alwaysStreams) {
    if (mode.kind === 'reset-mid-stream' || mode.kind === 'truncated') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":"chatcmpl-cut","object":"chat.completion","choices":[');
      if (mode.kind === 'reset-mid-stream') res.socket?.destroy();
      else res.end();
      return;
    }
    const calling = answer.toolCalls.length > 0;
    const message: Record<string, unknown> = { role: 'assistant', content: calling ? null : answer.content, refusal: null, annotations: [] };
    if (calling) message.tool_calls = answer.toolCalls.map((call, i) => ({ id: callId(body.model, call.name, i), type: 'function', function: options.argumentsAsObjects ? { ...call, arguments: JSON.parse(call.arguments) } : call }));
    if (answer.reasoning && options.reasoningField) message[options.reasoningField] = answer.reasoning;
    sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created: CREATED,
      model: body.model,
      choices: [{ index: 0, message: options.chunkQuirk ? wholeWithQuirk(message, options.chunkQuirk) : message, logprobs: calling ? null : logprobsOf(wordsOf(answer.content), body), finish_reason: calling ? 'tool_calls' : 'stop' }],
      ...(options.omitUsage ? {} : { usage }),
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
    });
    return;
  }

  const includeUsage = body.stream_options?.include_usage === true || options.billsPerToken !== undefined;
  const base = { id, object: 'chat.completion.chunk', created: CREATED, model: body.model, service_tier: 'default', system_fingerprint: 'fp_fake' };
  if (mode.kind === 'long-stream' || mode.kind === 'huge-event') return bigStream(res, base, mode);
  const events: unknown[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }] }];
  if (answer.reasoning && options.reasoningField) events.push({ ...base, choices: [{ index: 0, delta: { [options.reasoningField]: answer.reasoning }, logprobs: null, finish_reason: null }] });
  if (answer.toolCalls.length > 0 && options.argumentsAsObjects) {
    answer.toolCalls.forEach((call, index) =>
      events.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, id: callId(body.model, call.name, index), type: 'function', function: { name: call.name, arguments: JSON.parse(call.arguments) } }] }, logprobs: null, finish_reason: null }] }),
    );
  } else if (answer.toolCalls.length > 0 && options.namesCallsLate) {
    answer.toolCalls.forEach((call, index) => {
      events.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, id: callId(body.model, call.name, index), type: 'function', function: { arguments: call.arguments.slice(0, 5) } }] }, logprobs: null, finish_reason: null }] });
      events.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, function: { name: call.name, arguments: call.arguments.slice(5) } }] }, logprobs: null, finish_reason: null }] });
    });
  } else if (answer.toolCalls.length > 0 && (options.everyCallIndexZero || options.changesCallId)) {
    // One call after another, each under index 0 or under an id that changes after its header.
    answer.toolCalls.forEach((call, index) => {
      const at = options.everyCallIndexZero ? 0 : index;
      const id = callId(body.model, call.name, index);
      events.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: at, id, type: 'function', function: { name: call.name, arguments: '' } }] }, logprobs: null, finish_reason: null }] });
      for (const part of [call.arguments.slice(0, 5), call.arguments.slice(5)]) {
        const later = options.changesCallId ? { id: `${id}_next`, type: 'function' } : {};
        events.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: at, ...later, function: { arguments: part } }] }, logprobs: null, finish_reason: null }] });
      }
    });
  } else if (answer.toolCalls.length > 0) {
    // Each call's header first, then the argument fragments interleaved across calls, as a server
    // streaming parallel calls may send them: a client must keep each call's index apart.
    answer.toolCalls.forEach((call, index) =>
      events.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, id: callId(body.model, call.name, index), type: 'function', function: { name: call.name, arguments: '' } }] }, logprobs: null, finish_reason: null }] }),
    );
    for (const half of [0, 1]) {
      answer.toolCalls.forEach((call, index) => {
        const part = half === 0 ? call.arguments.slice(0, 5) : call.arguments.slice(5);
        const header = options.repeatsCallHeaders ? { id: callId(body.model, call.name, index), type: 'function' } : {};
        const name = options.repeatsCallHeaders ? { name: call.name } : {};
        events.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, ...header, function: { ...name, arguments: part } }] }, logprobs: null, finish_reason: null }] });
      });
    }
  } else {
    for (const word of wordsOf(answer.content)) events.push({ ...base, choices: [{ index: 0, delta: { content: word }, logprobs: logprobsOf([word], body), finish_reason: null }] });
  }
  const kimiUsage = options.kimiCachedTokens === undefined ? {} : { usage };
  if (!options.omitsFinishReason) events.push({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: answer.toolCalls.length > 0 ? 'tool_calls' : 'stop', ...kimiUsage }] });
  if (includeUsage && !options.omitUsage && options.kimiCachedTokens === undefined) {
    for (const event of events) (event as Record<string, unknown>).usage = null;
    events.push({ ...base, choices: [], usage });
  }

  for (const event of events) Object.assign(event as Record<string, unknown>, obfuscation(body));
  if (options.chunkQuirk) events.splice(0, events.length, ...withQuirk(events as Record<string, unknown>[], options.chunkQuirk));
  res.writeHead(200, { 'content-type': streamLabel(options.chunkQuirk), 'cache-control': 'no-cache' });
  const limit = mode.kind === 'reset-mid-stream' || mode.kind === 'truncated' || mode.kind === 'error-event' || mode.kind === 'stall' ? mode.chunks : events.length;
  for (let i = 0; i < Math.min(limit, events.length); i++) {
    if (res.destroyed) return;
    res.write(`data: ${JSON.stringify(events[i])}\n\n`);
    if (options.chunkDelayMs) await delay(options.chunkDelayMs);
  }
  if (mode.kind === 'reset-mid-stream') {
    resetAfterFlush(res);
    return;
  }
  if (mode.kind === 'stall') return; // open and silent: the reader's idle timeout ends it
  // As OpenAI-compatible servers report a failure after the stream began: an event that is no chunk.
  if (mode.kind === 'error-event') {
    res.end(`data: ${JSON.stringify(mode.event ?? { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } })}\n\n`);
    return;
  }
  if (mode.kind === 'truncated' || options.endsWithoutDone) return void res.end();
  if (mode.kind === 'open-after-end') res.write('data: [DONE]\n\n');
  else res.end('data: [DONE]\n\n');
}

/**
 * OpenAI's legacy text completions, as LM Studio, vLLM and llama.cpp serve them: an echo of the
 * prompt, or a visible fill-in-the-middle marker with a suffix; streamed as `text_completion` chunks
 * (`finish_reason` null until the last), the usage chunk when asked, then `[DONE]`.
 */
async function textCompletions(request: RecordedRequest, res: ServerResponse, options: FakeOpenAIOptions): Promise<void> {
  const body = request.body;
  const prompt = Array.isArray(body.prompt) ? body.prompt[0] : body.prompt;
  const text = body.suffix ? `[FIM between ${JSON.stringify(prompt)} and ${JSON.stringify(body.suffix)}]` : `Echo: ${prompt}`;
  const usage = usageFor(text, options.promptTokens);
  const base = { id: `cmpl-fake${Date.now() % 100000}`, object: 'text_completion', created: CREATED, model: body.model, system_fingerprint: 'fp_fake' };
  if (!body.stream) return sendJson(res, 200, { ...base, choices: [{ text, index: 0, logprobs: null, finish_reason: 'stop' }], usage });
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  for (const word of wordsOf(text)) {
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ text: word, index: 0, logprobs: null, finish_reason: null }] })}\n\n`);
    if (options.chunkDelayMs) await delay(options.chunkDelayMs);
  }
  res.write(`data: ${JSON.stringify({ ...base, choices: [{ text: '', index: 0, logprobs: null, finish_reason: 'stop' }] })}\n\n`);
  if (body.stream_options?.include_usage === true) res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}

/** Large streams, written only as fast as the reader takes them (the fake must not be what runs out of memory). */
async function bigStream(res: ServerResponse, base: Record<string, unknown>, mode: Extract<FailureMode, { kind: 'long-stream' | 'huge-event' }>): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  const send = async (text: string) => {
    if (res.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  };
  const event = (content: string) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }] })}\n\n`;
  await send(event(''));
  if (mode.kind === 'huge-event') {
    await send(event('y'.repeat(mode.bytes)));
  } else {
    const piece = 'z'.repeat(mode.eventBytes);
    for (let sent = 0; sent < mode.bytes && !res.destroyed; sent += mode.eventBytes) await send(event(piece));
  }
  if (res.destroyed) return;
  await send(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] })}\n\n`);
  res.end('data: [DONE]\n\n');
}

function logprobsOf(tokens: string[], body: Record<string, any>) {
  if (body.logprobs !== true) return null;
  return { content: tokens.map((token) => {
    const { alternatives, ...chosen } = fakeLogprob(token, body.top_logprobs ?? 0);
    return { ...chosen, top_logprobs: alternatives };
  }), refusal: null };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
