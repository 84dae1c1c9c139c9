/**
 * The OpenAI Responses wire for the fake upstreams (OpenAI's and Ollama's `/v1/responses`): a fake
 * answer as a Response object or its stream of events with sequence numbers, as the published spec
 * defines them (test/fakes.test.ts validates both). Written apart from the gateway's own encoder, so
 * a mistake in one is caught by the other.
 */
import type { ServerResponse } from 'node:http';
import type { FailureMode, RecordedRequest } from './fake-server';
import { resetAfterFlush, sendJson } from './fake-server';
import { fakeLogprob, replyFor, wordsOf } from './replies';

let counter = 0;

/** The conversation a Responses request carries, as messages the shared reply logic reads (tools made available in it are no message). */
function conversation(body: any): any[] {
  if (typeof body.input === 'string') return [{ role: 'user', content: body.input }];
  return (body.input ?? []).filter((item: any) => item.type !== 'additional_tools').map((item: any) => (item.type === 'function_call_output' ? item : { role: item.role ?? 'assistant', content: item.content ?? '' }));
}

/** The tools a request offers, top-level and in `additional_tools` items (Codex 0.150 on), each with its namespace if it is in one. */
function offered(body: any): { name: string; namespace?: string }[] {
  const out: { name: string; namespace?: string }[] = [];
  const add = (tools: any) => {
    for (const tool of Array.isArray(tools) ? tools : []) {
      if (tool?.type === 'namespace') for (const inner of tool.tools ?? []) out.push({ name: inner.name, namespace: tool.name });
      else if (typeof tool?.name === 'string') out.push({ name: tool.name });
    }
  };
  add(body.tools);
  for (const item of Array.isArray(body.input) ? body.input : []) if (item?.type === 'additional_tools') add(item.tools);
  return out;
}

/** Reasoning encrypted, as OpenAI encrypts it, for one account: another cannot read it. */
export function encryptedFor(account: string): string {
  return `gAAAAA${Buffer.from(account).toString('base64url')}.${(++counter).toString(36)}`;
}

/** Why an account would refuse a request's reasoning or compaction items, in OpenAI's words: one encrypted for another. */
function encryptedRefusal(body: any, account: string): string | undefined {
  const foreign = (Array.isArray(body.input) ? body.input : []).find((item: any) => (item?.type === 'reasoning' || item?.type === 'compaction') && typeof item.encrypted_content === 'string' && !item.encrypted_content.startsWith(`gAAAAA${Buffer.from(account).toString('base64url')}.`));
  return foreign ? `The encrypted content for item ${foreign.id ?? 'rs_unknown'} could not be verified. Reason: Encrypted content could not be decrypted or parsed.` : undefined;
}

/** What a model says before the answer's items when it speaks in phases. */
export const PREAMBLE = 'I will look into it.';
/** The second part of its reasoning summary then. */
export const SECOND_THOUGHT = 'Then I answer.';

/** How a fake answers beyond the spec's minimum: in phases (GPT-5.3-codex on), and with cache writes it reports. */
export interface ResponseShape {
  inPhases?: boolean;
  cacheWrites?: number;
  /** A `keepalive` event after `response.in_progress` (streams only). */
  keepalive?: boolean | undefined;
  /** What it billed, as xAI's Responses say it: `usage.cost_in_usd_ticks` at this many dollars a token. */
  billsPerToken?: number | undefined;
  /** OpenAI's: random padding in an `obfuscation` field of each delta event, unless `stream_options.include_obfuscation` is false. */
  obfuscates?: boolean | undefined;
  /** No delta events: text and call arguments whole in their `done` events alone (gpt-5.3-codex-spark's, some servers'). */
  wholeInDone?: boolean | undefined;
  /** Reasoning as its full text (`content` of `reasoning_text`, streamed as `response.reasoning_text.*`) and no summary, as LM Studio, vLLM and Ollama give it. */
  reasonsInFull?: boolean | undefined;
}

/**
 * OpenAI's stream obfuscation (on by default since 2025): random characters in each delta event's
 * `obfuscation` field, so that an event's size does not tell its text over the network.
 */
export function obfuscation(body: any): Record<string, string> {
  if (body.stream_options?.include_obfuscation === false) return {};
  const length = 1 + Math.floor(Math.random() * 15);
  return { obfuscation: Array.from({ length }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(Math.random() * 62)]).join('') };
}

export function responseFor(body: any, account = 'fake', { inPhases = false, cacheWrites = 0, billsPerToken, reasonsInFull = false }: ResponseShape = {}): any {
  const tools = offered(body);
  const answer = replyFor(conversation(body), tools, { reasoning: body.reasoning?.effort !== undefined && body.reasoning?.effort !== 'none' });
  const output: any[] = [];
  const message = (text: string, phase?: string) => ({ id: `msg_fake${++counter}`, type: 'message', role: 'assistant', status: 'completed', ...(phase ? { phase } : {}), content: [{ type: 'output_text', text, annotations: [], logprobs: logprobsOf(wordsOf(text), body) }] });
  if (answer.reasoning) {
    output.push({
      id: `rs_fake${++counter}`,
      type: 'reasoning',
      summary: reasonsInFull ? [] : [{ type: 'summary_text', text: answer.reasoning }, ...(inPhases ? [{ type: 'summary_text', text: SECOND_THOUGHT }] : [])],
      ...(reasonsInFull ? { content: [{ type: 'reasoning_text', text: answer.reasoning }] } : {}),
      ...(body.include?.includes('reasoning.encrypted_content') ? { encrypted_content: encryptedFor(account) } : {}),
    });
  }
  if (inPhases) output.push(message(PREAMBLE, 'commentary'));
  if (answer.content) output.push(message(answer.content, inPhases ? 'final_answer' : undefined));
  answer.toolCalls.forEach((call, i) => {
    const namespace = tools.find((t) => t.name === call.name)?.namespace;
    output.push({ id: `fc_fake${++counter}`, type: 'function_call', call_id: `call_fake${counter}_${i}`, ...(namespace ? { namespace } : {}), name: call.name, arguments: call.arguments, status: 'completed' });
  });
  const outputTokens = answer.toolCalls.length > 0 ? 9 : wordsOf(answer.content).length;
  return {
    id: `resp_fake${++counter}`,
    object: 'response',
    created_at: 1_763_000_000,
    status: 'completed',
    completed_at: 1_763_000_001,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model,
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: (body.tools ?? []).map((t: any) => (t.type === 'namespace' ? t : { type: t.type, name: t.name, description: t.description ?? null, parameters: t.parameters ?? null, strict: t.strict ?? null })),
    top_p: body.top_p ?? 1,
    top_logprobs: body.top_logprobs ?? 0,
    truncation: 'disabled',
    usage: {
      input_tokens: 12,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: cacheWrites },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: answer.reasoning ? 5 : 0 },
      total_tokens: 12 + outputTokens,
      ...(billsPerToken === undefined ? {} : { cost_in_usd_ticks: Math.round((12 + outputTokens) * billsPerToken * 1e10) }),
    },
    metadata: {},
  };
}

/** An output text's log probabilities, when the request includes them (each with its bytes and `top_logprobs` alternatives). */
function logprobsOf(tokens: string[], body: any) {
  if (!body.include?.includes('message.output_text.logprobs')) return [];
  return tokens.map((token) => {
    const { alternatives, ...chosen } = fakeLogprob(token, body.top_logprobs ?? 0);
    return { ...chosen, top_logprobs: alternatives };
  });
}

/** A response as the Responses API streams it, every event numbered in order. */
export function responseEventsFor(response: any, keepalive = false, wholeInDone = false): any[] {
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>) => ({ type, sequence_number: sequence++, ...fields });
  const { usage: _usage, ...rest } = response;
  const pending = { ...rest, status: 'in_progress', completed_at: null, output: [] };
  const events: any[] = [event('response.created', { response: pending }), event('response.in_progress', { response: pending })];
  if (keepalive) events.push(event('keepalive', {}));
  response.output.forEach((item: any, output_index: number) => {
    if (item.type === 'message') {
      events.push(event('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } }));
      const part = item.content[0];
      events.push(event('response.content_part.added', { item_id: item.id, output_index, content_index: 0, part: { ...part, text: '' } }));
      const perToken = part.logprobs.map(({ token, logprob, top_logprobs }: any) => ({ token, logprob, top_logprobs: top_logprobs.map((t: any) => ({ token: t.token, logprob: t.logprob })) }));
      if (!wholeInDone) wordsOf(part.text).forEach((word, i) => events.push(event('response.output_text.delta', { item_id: item.id, output_index, content_index: 0, delta: word, logprobs: perToken.slice(i, i + 1) })));
      events.push(event('response.output_text.done', { item_id: item.id, output_index, content_index: 0, text: part.text, logprobs: perToken }));
      events.push(event('response.content_part.done', { item_id: item.id, output_index, content_index: 0, part }));
    } else if (item.type === 'function_call') {
      events.push(event('response.output_item.added', { output_index, item: { ...item, arguments: '', status: 'in_progress' } }));
      if (!wholeInDone) for (const part of [item.arguments.slice(0, 5), item.arguments.slice(5)]) events.push(event('response.function_call_arguments.delta', { item_id: item.id, output_index, delta: part }));
      events.push(event('response.function_call_arguments.done', { item_id: item.id, output_index, name: item.name, arguments: item.arguments }));
    } else if (item.type === 'reasoning') {
      events.push(event('response.output_item.added', { output_index, item: { ...item, summary: [], ...(item.content ? { content: [] } : {}) } }));
      (item.content ?? []).forEach(({ text }: { text: string }, content_index: number) => {
        if (!wholeInDone) events.push(event('response.reasoning_text.delta', { item_id: item.id, output_index, content_index, delta: text }));
        events.push(event('response.reasoning_text.done', { item_id: item.id, output_index, content_index, text }));
      });
      item.summary.forEach(({ text }: { text: string }, summary_index: number) => {
        events.push(event('response.reasoning_summary_part.added', { item_id: item.id, output_index, summary_index, part: { type: 'summary_text', text: '' } }));
        events.push(event('response.reasoning_summary_text.delta', { item_id: item.id, output_index, summary_index, delta: text }));
        events.push(event('response.reasoning_summary_text.done', { item_id: item.id, output_index, summary_index, text }));
        events.push(event('response.reasoning_summary_part.done', { item_id: item.id, output_index, summary_index, part: { type: 'summary_text', text } }));
      });
    }
    events.push(event('response.output_item.done', { output_index, item }));
  });
  events.push(event('response.completed', { response }));
  return events;
}

/**
 * OpenAI's compaction (`/v1/responses/compact`): the user's messages as they were, then the rest of
 * the conversation as one compaction item encrypted for the account (only it can read it).
 */
export function compactionFor(body: any, account = 'fake'): any {
  const items = typeof body.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : (body.input ?? []);
  const users = items.filter((item: any) => (item.type ?? 'message') === 'message' && item.role === 'user');
  return {
    id: `resp_fake${++counter}`,
    object: 'response.compaction',
    created_at: 1_763_000_000,
    output: [
      ...users.map((item: any) => ({ type: 'message', id: `msg_fake${++counter}`, status: 'completed', role: 'user', content: typeof item.content === 'string' ? [{ type: 'input_text', text: item.content }] : item.content })),
      { type: 'compaction', id: `cmp_fake${++counter}`, encrypted_content: encryptedFor(account) },
    ],
    usage: { input_tokens: 120, input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 }, output_tokens: 30, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 150 },
  };
}

/** A count of a request's input tokens, as OpenAI's `/v1/responses/input_tokens` answers: far from any estimate, so a test tells the two apart. */
export function inputTokensFor(body: any): any {
  return { object: 'response.input_tokens', input_tokens: 5000 + JSON.stringify([body.instructions ?? '', body.input ?? '', body.tools ?? []]).length };
}

/** OpenAI's endpoints beside Responses itself, by path. */
export const RESPONSES_BESIDE: Record<string, (body: any, account: string) => unknown> = { '/v1/responses/compact': compactionFor, '/v1/responses/input_tokens': inputTokensFor };

/** OpenAI's error body for a status. */
function responsesError(status: number) {
  return { error: { message: `fake upstream error ${status}`, type: status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null } };
}

/**
 * Answers POST /v1/responses in the fake's current mode. With an `account` (OpenAI's), reasoning is
 * encrypted for it and reasoning another account encrypted is refused, as OpenAI does.
 */
export async function answerResponses(request: RecordedRequest, res: ServerResponse, mode: FailureMode, chunkDelayMs = 0, account?: string, shape: ResponseShape = {}): Promise<void> {
  if (mode.kind === 'status') return sendJson(res, mode.status, mode.body ?? responsesError(mode.status), mode.retryAfter ? { 'retry-after': mode.retryAfter } : {});
  const refusal = account === undefined ? undefined : encryptedRefusal(request.body, account);
  if (refusal) return sendJson(res, 400, { error: { message: refusal, type: 'invalid_request_error', param: null, code: 'invalid_encrypted_content' } });
  const response = responseFor(request.body, account, shape);
  // Background mode, as OpenAI answers it: at once, queued, the answer left to a later GET by its id.
  if (request.body.background === true && request.body.stream !== true) return sendJson(res, 200, { ...response, status: 'queued', background: true, completed_at: null, output: [], usage: null });
  if (request.body.stream !== true) return sendJson(res, 200, response);
  const events = responseEventsFor(response, shape.keepalive === true, shape.wholeInDone === true);
  if (shape.obfuscates) for (const event of events) if (event.type.endsWith('.delta')) Object.assign(event, obfuscation(request.body));
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  const limit = mode.kind === 'reset-mid-stream' || mode.kind === 'truncated' || mode.kind === 'error-event' ? mode.chunks : events.length;
  const sent = Math.min(limit, events.length);
  for (let i = 0; i < sent; i++) {
    if (res.destroyed) return;
    res.write(`event: ${events[i].type}\ndata: ${JSON.stringify(events[i])}\n\n`);
    if (chunkDelayMs) await new Promise((r) => setTimeout(r, chunkDelayMs));
  }
  // The Responses API's error event, numbered after what was sent.
  if (mode.kind === 'error-event') res.end(`event: ${(mode.event as { type?: string } | undefined)?.type ?? 'error'}\ndata: ${JSON.stringify(mode.event ?? { type: 'error', sequence_number: sent, code: 'server_error', message: 'The server had an error while processing your request.', param: null })}\n\n`);
  else if (mode.kind === 'reset-mid-stream') resetAfterFlush(res);
  else if (mode.kind !== 'open-after-end') res.end();
}
