/**
 * What a refusal says a server does not take, read from its words: a field it does not know (the
 * adapter leaves it out: providers/unknown-fields.ts), or an effort the model does not have, and
 * the ones it has.
 */
import { UpstreamError } from './errors';
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
const EFFORT_REFUSED = /reasoning[_.]effort'? does not support|Invalid reasoning_effort: |Thinking level \w{1,20} is not supported for this model|think value "?\w{1,20}"? is not supported for this model|reasoning[_.]effort[^\n]{0,40}?(?:must be one of|Input should be)/;
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

/** The efforts a refusal of one says the model takes (OpenAI's "Supported values are: 'low', 'medium', and 'high'."), if it lists them. */
export function offeredEfforts(error: UpstreamError): Effort[] {
  const said = (error.upstreamError?.message ?? '').slice(0, 2_000);
  const list = EFFORT_REFUSED.test(said) ? EFFORTS_LISTED.exec(said)?.[1] : undefined;
  return list ? effortsIn(list) : [];
}
