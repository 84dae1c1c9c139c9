/**
 * Optional fields an OpenAI-compatible server refuses as unknown, left out for it. Clients and the
 * gateway's translations send fields OpenAI takes (`user` from Claude Code's metadata,
 * `parallel_tool_calls`, reasoning in the history); a server that checks strictly refuses the whole
 * request for one it does not know (errors.ts has the wordings). The attempt is made again without
 * it, and the adapter leaves it out for that model from then on. Only fields a request means the
 * same without are ever left out: never its messages, tools, limits or format. An effort the model
 * does not have is the exception: where the refusal lists the ones it has, the nearest goes instead.
 * So are a Messages server's deferred tools: it is shown the tools the model would see.
 */
import { createHash } from 'node:crypto';
import { UpstreamError } from '../errors';
import { offeredEfforts, refusedFields } from '../refusals';
import { EFFORTS, nearestEffort, type Effort } from '../models/efforts';
import { withDeferralResolved } from '../wire/tool-deferral';
import { LOOKAROUND_REFUSED, withoutLookaroundPatterns } from '../wire/schema-patterns';
import { isRecord, mapped, replaced } from '../wire/records';
import type { ProviderConfig } from '../config/schema';
import { learnerMemory } from './quirk-memory';
import type { LearnerMemory, ProviderContext } from './types';

const DROPPABLE = new Set([
  ...['user', 'parallel_tool_calls', 'stream_options', 'store', 'metadata', 'service_tier', 'prompt_cache_key', 'safety_identifier', 'seed'].map((f) => `request:${f}`),
  ...['logprobs', 'top_logprobs', 'frequency_penalty', 'presence_penalty', 'logit_bias', 'reasoning_effort', 'verbosity', 'top_k', 'min_p', 'repetition_penalty'].map((f) => `request:${f}`),
  // The gateway cuts the answer at its stop sequences itself (wire/stop-sequences.ts).
  'request:stop',
  ...['name', 'reasoning_content', 'reasoning', 'refusal', 'annotations'].map((f) => `message:${f}`),
  'call:extra_content',
]);

/**
 * What a Messages request means the same without, for Anthropic-compatible servers that refuse what
 * Claude Code sends beyond the base API: server-side context editing (the client keeps its own
 * context), its diagnostics, caching and streaming hints, and a tool's examples of its input (the
 * schema still says what it takes).
 */
export const MESSAGES_DROPPABLE: ReadonlySet<string> = new Set(['request:context_management', 'request:diagnostics', 'cache:scope', 'cache:ttl', 'tool:eager_input_streaming', 'tool:input_examples']);

/**
 * What a Responses request means the same without, for Responses servers other than OpenAI's that
 * refuse what Codex and the SDKs send beyond what they know (OpenCode Go refused Codex 0.155's
 * `access_programs` on every turn): caching and routing hints, who the end user is, metadata, how
 * a stream is delivered (`stream_options`: the SDKs' obfuscation padding, Codex's reasoning summary
 * delivery). Never its input, tools, limits, format or `store`.
 */
export const RESPONSES_DROPPABLE: ReadonlySet<string> = new Set(
  ['access_programs', 'stream_options', 'prompt_cache_key', 'prompt_cache_retention', 'prompt_cache_options', 'safety_identifier', 'user', 'metadata', 'client_metadata', 'service_tier', 'parallel_tool_calls'].map((f) => `request:${f}`),
);

/** Fields refused in one request: a server that names one at a time is asked again this often at most. */
const MAX_RETRIES = 5;

type Body = Record<string, unknown>;
type Message = Record<string, unknown> & { tool_calls?: Record<string, unknown>[] };

/** Models whose refused fields are remembered, per server: any number of models may be asked for. */
const MAX_MODELS = 1_000;

/**
 * Mistral's rule for tool call ids, which its API and Mistral models' templates on vLLM and MLX
 * servers hold a whole history to: "Tool call id was call_x but must be a-z, A-Z, 0-9, with a length
 * of 9." Another vendor's ids (Claude Code's `toolu_...`, OpenAI's `call_...`) fail every later turn.
 */
const NINE_CHAR_IDS = /must be a-z, A-Z, 0-9, with a length of 9/;

/**
 * A Messages server that does not defer tools (wire/tool-deferral.ts): OpenRouter's "Deferred custom
 * tools are only supported on Anthropic models", pydantic's "tools.3.custom.defer_loading: Extra
 * inputs are not permitted", a block type "tool_reference" refused.
 */
const NO_DEFERRAL = /defer_loading|tool_reference|deferred (custom )?tools/i;

/** What a model refuses: fields to leave out, the efforts it has (when a refusal listed them), ids not of nine letters and digits, deferred tools, and lookaround in schema patterns. */
interface Refused {
  fields: Set<string>;
  efforts?: Effort[];
  nineCharIds?: boolean;
  noDeferral?: boolean;
  noLookaround?: boolean;
  /** The server requires the Responses `text.format` OpenAI reads as plain text when it is left out (LM Studio's). */
  textFormat?: boolean;
}

/**
 * Learned per model: a server may check one model's fields and not another's (reasoning, say).
 * `droppable`: the fields it may leave out (for a passed-through request, whose fields are the
 * client's, only the hints it means the same without: MESSAGES_DROPPABLE, RESPONSES_DROPPABLE).
 * `messages`: the bodies are Messages requests, whose deferred tools may be resolved here.
 */
export function createFieldLearner(droppable: ReadonlySet<string> = DROPPABLE, { messages = false, memory }: { messages?: boolean; memory?: LearnerMemory<Refused> } = {}) {
  const learned = memory?.learned ?? new Map<string, Refused>();
  return async function withoutRefusedFields<T>(body: Body, send: (body: Body) => Promise<T>): Promise<T> {
    const model = String(body.model);
    const known = learned.get(model);
    let current = known ? amended(body, known) : body;
    for (let retries = 0; ; retries++) {
      try {
        return await send(current);
      } catch (error) {
        const refused = learned.get(model) ?? { fields: new Set<string>() };
        const named = error instanceof UpstreamError && retries < MAX_RETRIES ? refusedFields(error) : [];
        const offered = error instanceof UpstreamError ? offeredEfforts(error) : [];
        const fresh = named.filter((f) => droppable.has(f) && !refused.fields.has(f) && !(f === 'request:reasoning_effort' && offered.length > 0));
        const said = error instanceof UpstreamError && retries < MAX_RETRIES ? (error.upstreamError?.message ?? '').slice(0, 2_000) : '';
        if (!refused.nineCharIds && NINE_CHAR_IDS.test(said)) refused.nineCharIds = true;
        else if (!refused.noLookaround && LOOKAROUND_REFUSED.test(said)) refused.noLookaround = true;
        else if (messages && !refused.noDeferral && NO_DEFERRAL.test(said)) refused.noDeferral = true;
        else if (!refused.textFormat && requiresTextFormat(error)) refused.textFormat = true;
        else if (named.includes('request:reasoning_effort') && offered.length > 0 && refused.efforts?.join() !== offered.join()) refused.efforts = offered;
        else if (fresh.length === 0) throw error;
        for (const field of fresh) refused.fields.add(field);
        if (!learned.has(model) && learned.size >= MAX_MODELS) learned.clear();
        learned.set(model, refused);
        memory?.remember(model, refused);
        // Only a request that changes is worth asking again: a field named but not sent is not the fault.
        const next = amended(current, refused);
        if (next === current) throw error;
        current = next;
      }
    }
  };
}

/** What one of this upstream's field learners (`learner`) found before (quirk-memory.ts). */
export const refusalMemory = (context: Pick<ProviderContext, 'quirks'>, config: ProviderConfig, learner: string, droppable: ReadonlySet<string> = DROPPABLE): LearnerMemory<Refused> =>
  learnerMemory(context, config, learner, (stored) => refusalFrom(stored, droppable), storedRefusal);

/** A Refused as kept on disk: its set as a list. */
const storedRefusal = (refused: Refused): unknown => ({ ...refused, fields: [...refused.fields] });

/**
 * A kept Refused read back, holding only what this learner may leave out and efforts it knows; a
 * record damaged or from another version is undefined (the quirk is learned again, at one refusal).
 */
function refusalFrom(stored: unknown, droppable: ReadonlySet<string>): Refused | undefined {
  if (!isRecord(stored) || !Array.isArray(stored.fields)) return undefined;
  const fields = new Set(stored.fields.filter((f): f is string => typeof f === 'string' && droppable.has(f)));
  const refused: Refused = { fields };
  if (Array.isArray(stored.efforts)) {
    const efforts = stored.efforts.filter((e): e is Effort => (EFFORTS as readonly unknown[]).includes(e));
    if (efforts.length > 0) refused.efforts = efforts;
  }
  for (const flag of ['nineCharIds', 'noDeferral', 'noLookaround', 'textFormat'] as const) if (stored[flag] === true) refused[flag] = true;
  return refused;
}

/** The body as the model takes it: its effort (chat's `reasoning_effort`, Responses' `reasoning.effort`) the nearest the model has, and without the refused fields. */
function amended(body: Body, refused: Refused): Body {
  const reasoning = body.reasoning && typeof body.reasoning === 'object' ? (body.reasoning as Body) : undefined;
  const asked = body.reasoning_effort ?? reasoning?.effort;
  const effort = refused.efforts && asked != null ? nearestEffort(asked, refused.efforts) : asked;
  let out = body;
  if (effort !== asked && body.reasoning_effort != null) out = effort === undefined ? without(body, new Set(['request:reasoning_effort'])) : { ...body, reasoning_effort: effort };
  else if (effort !== asked && reasoning) {
    const { effort: _asked, ...rest } = reasoning;
    out = { ...body, reasoning: effort === undefined ? rest : { ...rest, effort } };
  }
  out = without(out, refused.fields);
  if (refused.noDeferral) out = withDeferralResolved(out);
  if (refused.noLookaround) out = withoutLookaroundPatterns(out);
  if (refused.textFormat && 'input' in out) out = withTextFormat(out);
  return refused.nineCharIds ? withNineCharIds(out) : out;
}

/**
 * LM Studio's refusal of a Responses request whose `text` has no `format` ("Required" at
 * `text.format`, code `missing_required_parameter`), as Codex's VS Code extension sends it (`text: {verbosity}`).
 */
function requiresTextFormat(error: unknown): boolean {
  const body = error instanceof UpstreamError ? error.upstreamError : undefined;
  return body?.param === 'text.format' && (body.code === 'missing_required_parameter' || /required/i.test(body.message));
}

/** The request with the format OpenAI's API reads when none is given: plain text. */
function withTextFormat(body: Body): Body {
  const text = body.text && typeof body.text === 'object' ? (body.text as Body) : {};
  return text.format ? body : { ...body, text: { ...text, format: { type: 'text' } } };
}

/** A history's tool call ids as nine letters and digits, each the same every turn (a digest), so calls and results stay paired. */
function withNineCharIds(body: Body): Body {
  if (!Array.isArray(body.messages)) return body;
  const nine = (id: unknown) => (typeof id !== 'string' || /^[a-zA-Z0-9]{9}$/.test(id) ? id : createHash('sha256').update(id).digest('hex').slice(0, 9));
  return replaced(body, 'messages', mapped(body.messages as Message[], (message) => {
    const calls = Array.isArray(message.tool_calls) ? replaced(message, 'tool_calls', mapped(message.tool_calls as Body[], (call) => replaced(call, 'id', nine(call.id)))) : message;
    return 'tool_call_id' in calls ? replaced(calls, 'tool_call_id', nine(calls.tool_call_id)) : calls;
  }));
}

/** The body without the refused fields, copied only where one was there. */
export function without(body: Body, refused: ReadonlySet<string>): Body {
  // Only the parts a refused field can be in are walked: this runs on every request to a model that refused one.
  const scopes = new Set([...refused].map((field) => field.slice(0, field.indexOf(':'))));
  let out = omit(body, 'request', refused);
  if (scopes.has('tool') && Array.isArray(out.tools)) out = replaced(out, 'tools', mapped(out.tools, (tool) => omit(tool, 'tool', refused)));
  if (scopes.has('cache')) out = withoutInCaching(out, refused);
  if (!(scopes.has('message') || scopes.has('call')) || !Array.isArray(out.messages)) return out;
  return replaced(out, 'messages', mapped(out.messages as Message[], (message) => withoutIn(message, refused)));
}

/**
 * Messages' caching hints without their refused fields (Claude Code's `scope: "global"`): on the
 * request, its system blocks, its tools, and every message's blocks (a tool result's too).
 */
function withoutInCaching(body: Body, refused: ReadonlySet<string>): Body {
  const hint = (block: Body): Body => (isRecord(block.cache_control) ? replaced(block, 'cache_control', omit(block.cache_control, 'cache', refused)) : block);
  // One level down at most: a tool result's blocks.
  const blocks = (value: unknown, nested: boolean): unknown =>
    Array.isArray(value) ? mapped(value, (block) => (nested && Array.isArray(block.content) ? replaced(hint(block), 'content', blocks(block.content, false)) : hint(block))) : value;
  let out = hint(body);
  out = replaced(out, 'system', blocks(out.system, false));
  out = replaced(out, 'tools', blocks(out.tools, false));
  return Array.isArray(out.messages) ? replaced(out, 'messages', mapped(out.messages as Body[], (message) => replaced(message, 'content', blocks(message.content, true)))) : out;
}

function withoutIn(message: Message, refused: ReadonlySet<string>): Message {
  const out = omit(message, 'message', refused);
  const calls = message.tool_calls;
  if (!Array.isArray(calls)) return out;
  const kept = calls.map((call) => (call && typeof call === 'object' ? omit(call, 'call', refused) : call));
  return kept.some((c, i) => c !== calls[i]) ? { ...out, tool_calls: kept } : out;
}

/** The record without its refused fields of one scope, or the record itself when it has none. */
function omit<T extends Record<string, unknown>>(record: T, scope: string, refused: ReadonlySet<string>): T {
  if (!Object.keys(record).some((key) => refused.has(`${scope}:${key}`))) return record;
  return Object.fromEntries(Object.entries(record).filter(([key]) => !refused.has(`${scope}:${key}`))) as T;
}
