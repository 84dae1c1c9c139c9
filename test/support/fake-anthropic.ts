/**
 * A fake Anthropic upstream speaking the Messages wire as `@anthropic-ai/sdk` reads it: messages
 * (JSON, and SSE with named events), token counting, the models list, and Anthropic's error bodies.
 * It refuses requests without a key (`x-api-key`, or `Authorization: Bearer` as the SDK sends it),
 * as Anthropic does, and records every header it got (`anthropic-version`, `anthropic-beta`). Its
 * thinking signatures are bound to the model that wrote them, and it refuses a history that replays
 * one to another model, as Anthropic does.
 */
import { sendJson, startFakeServer, type FakeServer } from './fake-server';
import { anthropicError, answerMessages, historyRefusal, promptOf, thinkingRefusal } from './messages-wire';

export interface FakeAnthropicOptions {
  chunkDelayMs?: number;
  /** Answer `/v1/messages/count_tokens` 404, as Anthropic-compatible APIs without it do. */
  noTokenCounting?: boolean;
  /** Refuse fields and tool result blocks beyond the base Messages API one at a time in pydantic's words, as strict Anthropic-compatible servers (and Vertex AI) do. */
  strictFields?: boolean;
  /** Keep no models list (404), as MiniMax's and Moonshot's APIs do. */
  noModelsList?: boolean;
  /** The models list's entries, as the account's list gives them (default Sonnet and Haiku 4.5). */
  models?: Record<string, unknown>[];
  /** A window, and every prompt's size: a prompt and answer limit past it are refused in Anthropic's words. */
  window?: { tokens: number; prompt: number };
  /** Refuse a `max_tokens` over this as Alibaba DashScope's Anthropic API does: a 400 whose body is a server-sent `error` event. */
  dashscopeMaxTokens?: number;
}

/** Anthropic's refusal of a prompt, or a prompt and answer limit, past the window. */
function windowRefusal(body: any, window: FakeAnthropicOptions['window']): string | undefined {
  if (!window) return undefined;
  if (window.prompt > window.tokens) return `prompt is too long: ${window.prompt} tokens > ${window.tokens} maximum`;
  const asked = Number(body.max_tokens);
  if (window.prompt + asked > window.tokens) return `input length and \`max_tokens\` exceed context limit: ${window.prompt} + ${asked} > ${window.tokens}, decrease input length or \`max_tokens\` and try again`;
  return undefined;
}

/** A page of Anthropic's models list holding them all. */
const modelsList = (data: Record<string, unknown>[]) => ({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });

const BASE_FIELDS = new Set(['model', 'messages', 'system', 'max_tokens', 'metadata', 'stop_sequences', 'stream', 'temperature', 'top_p', 'top_k', 'tools', 'tool_choice', 'thinking']);
const TOOL_FIELDS = new Set(['name', 'description', 'input_schema', 'cache_control', 'type']);
const CACHE_FIELDS = new Set(['type', 'ttl']);

/** The first field a strict server would refuse, where pydantic says it was. */
function strictRefusal(body: any): string | undefined {
  const extra = (record: any, allowed: Set<string>) => Object.keys(record ?? {}).find((key) => !allowed.has(key));
  const top = extra(body, BASE_FIELDS);
  if (top) return `${top}: Extra inputs are not permitted`;
  for (const [i, block] of (Array.isArray(body.system) ? body.system : []).entries()) {
    const key = extra(block.cache_control, CACHE_FIELDS);
    if (key) return `system.${i}.cache_control.ephemeral.${key}: Extra inputs are not permitted`;
  }
  for (const [i, tool] of (body.tools ?? []).entries()) {
    const key = extra(tool, TOOL_FIELDS);
    if (key) return `tools.${i}.custom.${key}: Extra inputs are not permitted`;
  }
  for (const [i, message] of (body.messages ?? []).entries()) {
    for (const [j, block] of (Array.isArray(message.content) ? message.content : []).entries()) {
      const k = block.type === 'tool_result' && Array.isArray(block.content) ? block.content.findIndex((inner: any) => inner.type !== 'text' && inner.type !== 'image') : -1;
      if (k >= 0) return `messages.${i}.content.${j}.tool_result.content.${k}: Input tag '${block.content[k].type}' found using 'type' does not match any of the expected tags: 'text', 'image'`;
    }
  }
  return undefined;
}

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeServer> {
  return startFakeServer(async (request, res, mode) => {
    if (!request.headers['x-api-key'] && !request.headers.authorization?.startsWith('Bearer ')) return sendJson(res, 401, anthropicError(401, 'an API key is required'));
    if (mode.kind === 'status') return sendJson(res, mode.status, mode.body ?? anthropicError(mode.status), mode.retryAfter ? { 'retry-after': mode.retryAfter } : {});
    // As Anthropic checks a history's thinking before anything else.
    const refusal = request.method === 'POST' && request.path.startsWith('/v1/messages') ? ((options.strictFields ? strictRefusal(request.body) : undefined) ?? historyRefusal(request.body) ?? thinkingRefusal(request.body) ?? (request.path === '/v1/messages' ? windowRefusal(request.body, options.window) : undefined)) : undefined;
    if (refusal) return sendJson(res, 400, anthropicError(400, refusal));
    if (options.dashscopeMaxTokens !== undefined && request.path === '/v1/messages' && Number(request.body?.max_tokens) > options.dashscopeMaxTokens) {
      const data = { code: 'InvalidParameter', message: `<400> InternalError.Algo.InvalidParameter: Range of max_tokens should be [1, ${options.dashscopeMaxTokens}]`, request_id: 'fc65a002-d8fe-9701-b810-40d2285b3700' };
      res.writeHead(400, { 'content-type': 'text/event-stream' });
      return void res.end(`event:error\ndata:${JSON.stringify(data)}\n\n`);
    }
    switch (`${request.method} ${request.path}`) {
      case 'POST /v1/messages':
        return answerMessages(request, res, mode, options.chunkDelayMs);
      case 'POST /v1/messages/count_tokens':
        if (options.noTokenCounting) break;
        return sendJson(res, 200, { input_tokens: 1000 + promptOf(request.body).length });
      case 'GET /v1/models':
        if (options.noModelsList) break;
        // As Anthropic's list: dated snapshots only, though its API also takes their aliases (claude-sonnet-4-5).
        return sendJson(res, 200, modelsList(options.models ?? [
          { type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z', max_input_tokens: 200_000, max_tokens: 64_000 },
          { type: 'model', id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z', max_input_tokens: 200_000, max_tokens: 64_000 },
        ]));
    }
    return sendJson(res, 404, anthropicError(404, `Not found: ${request.method} ${request.path}`));
  });
}
