/**
 * What a refusal says a server does not take, read from its words: a field it does not know (the
 * adapter leaves it out: providers/unknown-fields.ts), or an effort the model does not have, and
 * the ones it has; the answer limit a model writes, the window a request overran, and the room
 * its prompt left.
 */
import { OUTPUT_LIMIT, UpstreamError } from './errors';
import { effortsIn, type Effort } from './models/efforts';

/**
 * How a strict server refuses a field it does not know, and where: Google's `Unknown name "top_k": Cannot find field.` (or `... at 'messages[1]'`),
 * OpenAI's "Unrecognized request argument supplied: user", Groq's "'messages.1' : property 'reasoning_content' is unsupported",
 * pydantic's (Anthropic-compatible servers') "system.2.cache_control.ephemeral.scope: Extra inputs are not permitted",
 * OpenAI's reasoning models' (on Azure and relays too) "Unsupported parameter: 'stop' is not supported with this model".
 * And how a model refuses an effort it does not have, which it is then asked for at its own: Google's
 * "Thinking level MEDIUM is not supported for this model", "Invalid reasoning_effort: minimal",
 * OpenAI's "Unsupported value: 'reasoning_effort' does not support 'minimal' with this model" (in
 * Responses, 'reasoning.effort'), Ollama's `/v1` "think value "medium" is not supported for this model" (qwen3 thinks on or off), a
 * pydantic server's (vLLM's) "'reasoning_effort'), 'msg': "Input should be 'low', 'medium' or 'high'"".
 */
const UNKNOWN_FIELDS = [
  /Unknown name "(?<field>\w{1,64})"(?: at '(?<at>[\w.[\]]{1,200})')?: Cannot find field/g,
  /Unrecognized request arguments? supplied: (?<field>\w{1,64})/g,
  /(?:'(?<at>messages\.\d{1,6}(?:\.tool_calls\.\d{1,6})?)' : )?property '(?<field>\w{1,64})' is unsupported/g,
  /(?<![\w.])(?<at>(?:\w{1,64}\.){1,12})?(?<field>\w{1,64}): Extra inputs are not permitted/g,
  /Unsupported parameter: '(?<field>\w{1,64})' is not supported with this model/g,
  // OpenAI's Responses API ("Unknown parameter: 'prompt_cache_options'."), OpenCode Go's ("unknown
  // parameter `access_programs`"), the ChatGPT backend's ("Unsupported parameter: metadata"): top-level fields only.
  /Unknown parameter: '(?<field>\w{1,64})'/gi,
  /unknown parameter `(?<field>\w{1,64})`/gi,
  /Unsupported parameter: (?<field>\w{1,64})(?![\w'.\[])/g,
];
const EFFORT_REFUSED = /Reasoning is mandatory for this endpoint|reasoning[_.]effort'? does not support|Invalid reasoning_effort: |Thinking level \w{1,20} is not supported for this model|think value "?\w{1,20}"? is not supported for this model|reasoning[_.]effort[^\n]{0,40}?(?:must be one of|Input should be)/;
/** Where a refusal lists what it takes: OpenAI's "Supported values are: ...", a pydantic server's (vLLM's) "Input should be 'low', 'medium' or 'high'". */
const EFFORTS_LISTED = /(?:Supported values are|Valid values are|must be one of|Input should be):? ([^."\]]{1,200})/;

/** The fields a 400 says the server does not know, each as `request:x`, `message:x` or `call:x` (a tool call's). */
export function refusedFields(error: UpstreamError): string[] {
  if (error.status !== 400 && error.status !== 422) return [];
  const said = (error.upstreamError?.message ?? '').slice(0, 2_000);
  const fields: string[] = [];
  for (const pattern of UNKNOWN_FIELDS) {
    for (const match of said.matchAll(pattern)) {
      const at = match.groups?.at ?? '';
      // Elsewhere (a tool's schema, say) it is not one of these fields, whatever its name.
      const scope = at === '' ? 'request' : /cache_control\.(?:\w+\.)?$/.test(at) ? 'cache' : /^tools\.\d+\.(?:\w+\.)?$/.test(at) ? 'tool' : !at.startsWith('messages') ? undefined : at.includes('tool_calls') ? 'call' : 'message';
      if (scope) fields.push(`${scope}:${match.groups!.field}`);
    }
  }
  if (EFFORT_REFUSED.test(said)) fields.push('request:reasoning_effort');
  return fields;
}

/**
 * OpenRouter's models that always reason refuse `none` ("Reasoning is mandatory for this endpoint and
 * cannot be disabled"): they take every other effort on its ladder.
 */
const MANDATORY_REASONING = /Reasoning is mandatory for this endpoint/;
const REASONING_EFFORTS: readonly Effort[] = ['minimal', 'low', 'medium', 'high', 'xhigh'];

/** The efforts a refusal of one says the model takes (OpenAI's "Supported values are: 'low', 'medium', and 'high'."), if it lists them. */
export function offeredEfforts(error: UpstreamError): Effort[] {
  const said = (error.upstreamError?.message ?? '').slice(0, 2_000);
  if (MANDATORY_REASONING.test(said)) return [...REASONING_EFFORTS];
  const list = EFFORT_REFUSED.test(said) ? EFFORTS_LISTED.exec(said)?.[1] : undefined;
  return list ? effortsIn(list) : [];
}

/**
 * How servers say a request's prompt and answer limit together overrun the window, naming both:
 * vLLM's "maximum context length is 64001 tokens and your request has 24235 input tokens (64000 >
 * 64001 - 24235)", OpenAI's and older vLLM's "maximum context length is 32768 tokens. However, you
 * requested 33000 tokens (1000 in the messages, 32000 in the completion)", SGLang's "maximum context
 * length of 32768 tokens. You requested a total of 33000 tokens: 1000 tokens from the input",
 * Anthropic's "input length and `max_tokens` exceed context limit: 188240 + 21333 > 200000".
 */
const WINDOW_AND_PROMPT = [
  /maximum context length is (?<window>\d{1,9}) tokens and your request has (?<prompt>\d{1,9}) input tokens/i,
  /maximum context length is (?<window>\d{1,9}) tokens\. However, you requested \d{1,9} tokens \((?<prompt>\d{1,9}) in the messages/i,
  /maximum context length of (?<window>\d{1,9}) tokens\. You requested a total of \d{1,9} tokens: (?<prompt>\d{1,9}) tokens from the input/i,
  /exceed context limit: (?<prompt>\d{1,9}) \+ \d{1,9} > (?<window>\d{1,9})/i,
];

/**
 * The room a refused request's prompt left in the window, where the refusal names both: the answer
 * limit that fits this request (not the model: a shorter prompt leaves more). None when the prompt
 * alone fills it.
 */
export function roomLeft(error: UpstreamError): number | undefined {
  if (error.failure !== 'context_length' || error.status === undefined || error.status >= 500) return undefined;
  const said = (error.upstreamError?.message ?? '').slice(0, 2_000);
  for (const pattern of WINDOW_AND_PROMPT) {
    const match = pattern.exec(said)?.groups;
    if (!match) continue;
    const room = Number(match.window) - Number(match.prompt);
    return room > 0 ? room : undefined;
  }
  return undefined;
}

/**
 * How embedding servers name the window an input overran: OpenAI's "This model's maximum context
 * length is 8192 tokens, however you requested 8610 tokens", vLLM's "maximum context length is 512
 * tokens. However, you requested 600 tokens in the input for embedding generation", Hugging Face's
 * text-embeddings-inference "`inputs` must have less than 512 tokens. Given: 600", llama.cpp's
 * server "input (992 tokens) is too large to process. increase the physical batch size (current
 * batch size: 512)" (with a 500).
 */
const NAMED_WINDOWS = [/maximum context length is (\d{1,9}) tokens/i, /must have less than (\d{1,9}) tokens/i, /current batch size: (\d{1,9})/i];

/** The window a refusal of a too-long input names, if it names one. */
export function namedWindow(error: UpstreamError): number | undefined {
  if (error.failure !== 'context_length' || error.status === undefined) return undefined;
  const said = (error.upstreamError?.message ?? '').slice(0, 2_000);
  for (const pattern of NAMED_WINDOWS) {
    const window = Number(pattern.exec(said)?.[1]);
    if (window > 0) return window;
  }
  return undefined;
}

/**
 * The answer limit an account's credit still covers, where a refusal names it: OpenRouter checks a
 * request's limit against the balance first, "This request requires more credits, or fewer
 * max_tokens. You requested up to 32000 tokens, but can only afford 27342" (a 402: Claude Code,
 * opencode and Qwen Code ask for 32,000 or more). The request fits within it; the account is not
 * empty. For that request alone: the balance moves.
 */
export function creditCovers(error: UpstreamError): number | undefined {
  if (error.failure !== 'quota' || error.status !== 402) return undefined;
  const said = (error.upstreamError?.message ?? '').slice(0, 2_000);
  const afford = Number(/or fewer max_tokens\. You requested up to \d{1,9} tokens, but can only afford (\d{1,9})/i.exec(said)?.[1]);
  return afford > 0 ? afford : undefined;
}

/** Where each wording names the largest limit it takes (Groq's: "`max_completion_tokens` must be less than or equal to `16384`"). */
const NAMED_OUTPUT_LIMITS = [
  /supports at most (\d{1,9}) (?:completion|output) tokens/i,
  /> (\d{1,9}), which is the maximum allowed number of output tokens/i,
  /valid range of max_(?:completion_)?tokens is \[\d{1,9}, (\d{1,9})\]/i,
  /must be less than or equal to\W{0,2}(\d{1,9})/i,
  /maximum output tokens \((\d{1,9})\)/i,
  /Range of max_tokens should be \[\d{1,9}, (\d{1,9})\]/i,
  /expected a value <= (\d{1,9})/i,
];

/** The answer limit an upstream named when it refused a larger one, if it named one. */
export function namedOutputLimit(error: UpstreamError): number | undefined {
  if (error.failure !== 'context_length' || error.status === undefined || error.status >= 500) return undefined;
  const said = (error.upstreamError?.message ?? '').slice(0, 2_000);
  if (!OUTPUT_LIMIT.test(said)) return undefined;
  for (const pattern of NAMED_OUTPUT_LIMITS) {
    const limit = Number(pattern.exec(said)?.[1]);
    if (limit > 0) return limit;
  }
  return undefined;
}
