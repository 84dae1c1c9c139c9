/**
 * A fake of Google's OpenAI compatibility layer for Gemini, served where the real one is
 * (`/v1beta/openai/...`), with the rules that set it apart from OpenAI's API:
 * - it reads a request strictly: a field outside its documented parameters is refused in Google's
 *   words ("Invalid JSON payload received. Unknown name ...: Cannot find field."), in messages too,
 *   and so is a tool schema past Gemini's OpenAPI subset (Claude Code's `$schema`, `propertyNames`);
 * - it answers errors as a list (`[{error:{code,message,status}}]`), a per-minute quota as a 429 with
 *   its RetryInfo and no Retry-After header;
 * - `reasoning_effort` is none, low, medium or high (a Pro model takes low or high only);
 * - Gemini 3 signs its function calls (`extra_content.google.thought_signature` on the first call of a
 *   turn) and refuses a history whose calls lack a signature it gave, or the documented skip value;
 * - it embeds at most 100 inputs a request ("at most 100 requests can be in one batch");
 * - it says `finish_reason: "stop"` after tool calls, and streams them without `index`: a call's
 *   later argument fragment and its signature come with neither index nor id.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer, type FakeServer, type FailureMode, type RecordedRequest } from './fake-server';
import { replyFor, wordsOf } from './replies';
import { usageFor } from './served-usage';

/** The parameters Google documents for its compatibility layer. */
const KNOWN = new Set(['model', 'messages', 'max_tokens', 'max_completion_tokens', 'n', 'frequency_penalty', 'presence_penalty', 'reasoning_effort', 'response_format', 'seed', 'stop', 'stream', 'stream_options', 'temperature', 'top_p', 'tools', 'tool_choice', 'modalities', 'audio']);
const MESSAGE_FIELDS = new Set(['role', 'content', 'name', 'tool_calls', 'tool_call_id']);
const CALL_FIELDS = new Set(['id', 'type', 'function', 'extra_content']);
const EFFORTS = ['high', 'low', 'medium', 'none'];
const SKIP = 'skip_thought_signature_validator';
const PREFIX = '/v1beta/openai';

export async function startFakeGemini(): Promise<FakeServer> {
  let signed = 0;
  const issued = new Set<string>();
  return startFakeServer(async (request, res, mode) => {
    if (mode.kind === 'status') return sendStatus(res, mode);
    if (request.method === 'GET' && request.path === `${PREFIX}/models`) {
      return sendJson(res, 200, { object: 'list', data: [{ id: 'models/gemini-3.5-flash', object: 'model', owned_by: 'google' }] });
    }
    if (request.method === 'POST' && request.path === `${PREFIX}/embeddings`) return embeddings(request, res);
    if (request.method !== 'POST' || request.path !== `${PREFIX}/chat/completions`) return googleError(res, 404, 'NOT_FOUND', `Invalid URL (${request.method} ${request.path})`);
    const refusal = refusalOf(request.body, issued);
    if (refusal) return googleError(res, 400, 'INVALID_ARGUMENT', refusal);
    const signature = `sig-${++signed}`;
    issued.add(signature);
    return answer(request, res, signature);
  });
}

/** Embeddings in OpenAI's shape, at most 100 inputs a request: Gemini's batch limit, in its words. */
function embeddings(request: RecordedRequest, res: ServerResponse): void {
  const inputs: unknown[] = Array.isArray(request.body.input) ? request.body.input : [request.body.input];
  if (inputs.length > 100) return googleError(res, 400, 'INVALID_ARGUMENT', '* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch\n');
  const tokens = inputs.reduce<number>((sum, input) => sum + wordsOf(String(input)).length, 0);
  sendJson(res, 200, { object: 'list', data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: [index, 1, 0] })), model: request.body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

function googleError(res: ServerResponse, code: number, status: string, message: string, details?: unknown[]): void {
  sendJson(res, code, [{ error: { code, message, status, ...(details ? { details } : {}) } }]);
}

/** A 429 as Google's free tier answers past its requests per minute: the delay in the body only. */
function sendStatus(res: ServerResponse, mode: Extract<FailureMode, { kind: 'status' }>): void {
  if (mode.body) return sendJson(res, mode.status, mode.body);
  if (mode.status !== 429) return googleError(res, mode.status, mode.status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT', `fake upstream error ${mode.status}`);
  googleError(
    res,
    429,
    'RESOURCE_EXHAUSTED',
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 10, model: gemini-3.5-flash\nPlease retry in 2.5s.',
    [
      { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }] },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' },
    ],
  );
}

/** Why Google would refuse this body, in its words, or undefined. */
function refusalOf(body: any, issued: ReadonlySet<string>): string | undefined {
  const unknown: string[] = [];
  for (const key of Object.keys(body ?? {})) if (!KNOWN.has(key)) unknown.push(`Invalid JSON payload received. Unknown name "${key}": Cannot find field.`);
  (Array.isArray(body?.messages) ? body.messages : []).forEach((message: any, i: number) => {
    for (const key of Object.keys(message ?? {})) if (!MESSAGE_FIELDS.has(key)) unknown.push(`Invalid JSON payload received. Unknown name "${key}" at 'messages[${i}]': Cannot find field.`);
    (Array.isArray(message?.tool_calls) ? message.tool_calls : []).forEach((call: any, j: number) => {
      for (const key of Object.keys(call ?? {})) if (!CALL_FIELDS.has(key)) unknown.push(`Invalid JSON payload received. Unknown name "${key}" at 'messages[${i}].tool_calls[${j}]': Cannot find field.`);
    });
  });
  (Array.isArray(body?.tools) ? body.tools : []).forEach((tool: any, i: number) => {
    if (tool?.function?.parameters !== undefined) unknown.push(...schemaRefusals(tool.function.parameters, `tools[0].function_declarations[${i}].parameters`));
  });
  if (unknown.length > 0) return unknown.join('\n');
  if (body.reasoning_effort !== undefined && !EFFORTS.includes(body.reasoning_effort)) return `Invalid reasoning_effort: ${body.reasoning_effort}. Valid values are: ${EFFORTS.join(', ')}`;
  // Gemini 3 Pro thinks at low or high only (Google's answer on its forum).
  if (/-pro/.test(body.model) && (body.reasoning_effort === 'medium' || body.reasoning_effort === 'none')) return `Thinking level ${String(body.reasoning_effort).toUpperCase()} is not supported for this model. Please retry with other thinking level`;
  if (!String(body.model).replace(/^models\//, '').startsWith('gemini-3')) return undefined;
  let position = 0;
  for (const message of body.messages) {
    position++;
    if (message.role !== 'assistant' || !Array.isArray(message.tool_calls) || message.tool_calls.length === 0) continue;
    const signature = message.tool_calls[0]?.extra_content?.google?.thought_signature;
    if (signature !== SKIP && !issued.has(signature)) {
      return `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${message.tool_calls[0].function?.name}\` , position ${position}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`;
    }
  }
  return undefined;
}

/** Gemini's Schema: an OpenAPI subset; a type from its enum, string enums, and few formats. */
const SCHEMA_FIELDS = new Set(['type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'properties', 'required', 'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'example', 'anyOf', 'propertyOrdering', 'default', 'items', 'minimum', 'maximum']);
const SCHEMA_TYPES = ['string', 'number', 'integer', 'boolean', 'array', 'object'];

function schemaRefusals(schema: any, at: string): string[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [`Invalid value at '${at}': a schema must be an object`];
  const out: string[] = [];
  for (const key of Object.keys(schema)) if (!SCHEMA_FIELDS.has(key)) out.push(`Invalid JSON payload received. Unknown name "${key}" at '${at}': Cannot find field.`);
  if (schema.type !== undefined && !SCHEMA_TYPES.includes(String(schema.type).toLowerCase())) out.push(`Invalid value at '${at}.type' (type.googleapis.com/google.ai.generativelanguage.v1beta.Type), ${JSON.stringify(schema.type)}`);
  if (schema.properties !== undefined && String(schema.type).toLowerCase() !== 'object') out.push(`GenerateContentRequest.${at}.properties: only allowed for OBJECT type`);
  if (schema.enum !== undefined && !(Array.isArray(schema.enum) && schema.enum.every((v: unknown) => typeof v === 'string'))) out.push(`Invalid value at '${at}.enum': enum values must be strings`);
  if (schema.format !== undefined && schema.type === 'string' && !['enum', 'date-time'].includes(schema.format)) out.push(`${at}.format: only 'enum' and 'date-time' are supported for STRING type`);
  Object.values(schema.properties ?? {}).forEach((property, k) => out.push(...schemaRefusals(property, `${at}.properties[${k}].value`)));
  if (schema.items !== undefined) out.push(...schemaRefusals(schema.items, `${at}.items`));
  (schema.anyOf ?? []).forEach((member: unknown, k: number) => out.push(...schemaRefusals(member, `${at}.any_of[${k}]`)));
  return out;
}

async function answer(request: RecordedRequest, res: ServerResponse, signature: string): Promise<void> {
  const body = request.body;
  const reply = replyFor(body.messages, body.tools);
  const calls = reply.toolCalls.map((call, i) => ({ id: `function-call-${i + 1}`, type: 'function', function: call, ...(i === 0 ? { extra_content: { google: { thought_signature: signature } } } : {}) }));
  const usage = usageFor(reply.content);
  const base = { id: 'fake-gemini-answer', created: 1_763_000_000, model: body.model };
  if (!body.stream) {
    const message = { role: 'assistant', content: calls.length > 0 ? null : reply.content, ...(calls.length > 0 ? { tool_calls: calls } : {}) };
    return sendJson(res, 200, { ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: 'stop' }], usage });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const event = (delta: Record<string, unknown>, finish: string | null) => `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  // As Google streams calls: no index; a call's header with the first half of its arguments, the rest
  // in a fragment with neither index nor id, its signature in a delta of its own.
  for (const { extra_content: signed, ...call } of calls) {
    const half = Math.ceil(call.function.arguments.length / 2);
    res.write(event({ role: 'assistant', tool_calls: [{ ...call, function: { name: call.function.name, arguments: call.function.arguments.slice(0, half) } }] }, null));
    res.write(event({ tool_calls: [{ function: { arguments: call.function.arguments.slice(half) } }] }, null));
    if (signed) res.write(event({ tool_calls: [{ extra_content: signed }] }, null));
  }
  for (const word of wordsOf(reply.content)) res.write(event({ role: 'assistant', content: word }, null));
  res.write(event({}, 'stop'));
  if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}
