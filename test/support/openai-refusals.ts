/**
 * What OpenAI's API (and the servers the fake stands for with its options) refuses before answering,
 * in their words: the fake OpenAI's checks of a chat or Responses request. Each returns the status
 * and body to answer with, or undefined to go on to the answer.
 */
import { DETAILS_TEXT, signatureOf, type ChunkQuirk } from './chunk-quirks';

/** What the fake OpenAI refuses, and how, as the servers it stands for do (its options: fake-openai.ts). */
export interface RefusalOptions {
  /** The tokens every prompt takes, as the server counts them (for `contextLength`). */
  promptTokens?: number;
  /** A window (tokens) the prompt (`promptTokens`) and the asked answer limit must fit together, refused in vLLM's words otherwise. */
  contextLength?: number;
  /** Refuse a history whose assistant turns with tool calls carry no `reasoning_content`, as a thinking model's API does: Moonshot's (Kimi) or DeepSeek's words. */
  wantsHistoryReasoning?: 'kimi' | 'deepseek';
  mistralFields?: boolean; // refuse chat fields Mistral's API does not know (`user`, `seed`, `stream_options`, ...) as it does: a 422 whose `message` is FastAPI's error list
  /** Refuse these top-level Responses fields as unknown, in OpenCode Go's words ("unknown parameter `access_programs`"). */
  refusesResponsesFields?: string[];
  /** Refuse a Responses request offering any tool but a function (or an MCP server), in LM Studio's words, or llama.cpp's (which refuses a tool output but text too). */
  refusesOtherTools?: 'lm-studio' | 'llama.cpp';
  requiresTextFormat?: boolean; // refuse a Responses request whose `text` has no `format` ("Required" at `text.format`), as LM Studio does
  /** Hold tool call ids to nine letters and digits, in the history too, as Mistral's API does (and give its own calls such ids). */
  nineCharIds?: boolean;
  /** Refuse a conversation whose roles do not alternate, as llama.cpp's server does with a Mistral or Gemma chat template (a Jinja exception, said with a 500). */
  alternatingRoles?: boolean;
  /** Refuse a system message anywhere but first, as Qwen's chat template does: in llama.cpp's words (a 400 since its parser generation, a 500 before) or vLLM's. */
  systemFirst?: 'llama.cpp' | 'vllm';
  /** Refuse a conversation ending in an assistant message unless `chat_template_kwargs.enable_thinking` is false, as llama.cpp's server does for a thinking model. */
  thinksByDefault?: boolean;
  /** Parse each history call's arguments, as llama.cpp's server does for templates that read them as objects: a 500 for any that are not JSON. */
  parsesCallArguments?: boolean;
  /** Refuse an answer limit over what the account's credit covers (none asked: the model's 65,536), with OpenRouter's 402. */
  creditCovers?: number;
  /** Refuse images and audio as llama.cpp's server does for a model started without its projector (`--mmproj`): a 500. */
  noProjector?: boolean;
  /** Refuse tools the model may call or not, as vLLM's server does when started without a tool parser. */
  noToolParser?: boolean;
  /** Refuse tools as LM Studio does with a template that cannot render them (Gemma 4's bundled one: a 400). */
  templateFailsTools?: boolean;
  /** Refuse tools as llama.cpp's server does when started without --jinja ("tools param requires --jinja flag", with a 500). */
  withoutJinja?: boolean;
  /** Stream chat as a server off OpenAI's contract does (Azure OpenAI's content filter events, a usage chunk without choices, ...: chunk-quirks.ts). */
  chunkQuirk?: ChunkQuirk;
}

export interface Refusal {
  status: number;
  body: unknown;
}

const refusal = (status: number, body: unknown): Refusal => ({ status, body });

/** The most completion tokens some models write, as OpenAI documents them. */
const MAX_OUTPUT: Record<string, number> = { 'gpt-4o': 16_384, 'gpt-4.1': 32_768 };
/** The reasoning efforts some models have: another is refused, with the list, in OpenAI's words. */
const EFFORTS: Record<string, string[]> = { 'gpt-5.5': ['none', 'low', 'medium', 'high', 'xhigh'], o3: ['low', 'medium', 'high'] };
/** OpenAI's refusal of an effort the model does not have (`param`: where the request put it), listing those it has. */
function effortRefusal(model: unknown, effort: unknown, param: string) {
  const efforts = Object.entries(EFFORTS).find(([prefix]) => String(model).startsWith(prefix))?.[1];
  if (!efforts || effort == null || efforts.includes(String(effort))) return undefined;
  const listed = `${efforts.slice(0, -1).map((e) => `'${e}'`).join(', ')}, and '${efforts.at(-1)}'`;
  const message = `Unsupported value: '${param}' does not support '${String(effort)}' with this model. Supported values are: ${listed}.`;
  return { error: { message, type: 'invalid_request_error', param, code: 'unsupported_value' } };
}

/** The sampling parameters' ranges in OpenAI's chat completions API. */
const SAMPLING_RANGES = [['temperature', 0, 2], ['top_p', 0, 1], ['presence_penalty', -2, 2], ['frequency_penalty', -2, 2]] as const;

/** Models the gateway's table does not know, each refusing a larger answer limit in its provider's words (which name the limit). */
const NAMED_LIMITS: { prefix: string; most: number; body: (param: string, asked: number, most: number, model: string) => unknown }[] = [
  // Groq's.
  { prefix: 'moonshotai/kimi-k2', most: 16_384, body: (param, _asked, most) => ({ error: { message: `\`${param}\` must be less than or equal to \`${most}\`, the maximum value for \`${param}\` is less than the \`context_window\` for this model`, type: 'invalid_request_error', param } }) },
  // Ollama's cloud models'.
  { prefix: 'deepseek-v4-flash', most: 65_536, body: (param, asked, most, model) => ({ error: { message: `${param} (${asked}) exceeds model's maximum output tokens (${most}) for model ${model}`, type: 'invalid_request_error', param: null, code: null } }) },
  // Alibaba's DashScope (Model Studio).
  { prefix: 'qwen3-max', most: 8_192, body: (_param, _asked, most) => ({ error: { code: 'invalid_parameter_error', message: `<400> InternalError.Algo.InvalidParameter: Range of max_tokens should be [1, ${most}]`, param: null, type: 'invalid_request_error' } }) },
  // Volcengine Ark's (Doubao).
  { prefix: 'doubao-seed', most: 32_768, body: (param, asked, most) => ({ error: { code: 'InvalidParameter', message: `The parameter ${param} specified in the request is not valid: integer above maximum value, expected a value <= ${most}, but got ${asked} instead. Request id: 0217724325966514087c9e55f8b322b8`, param, type: 'BadRequest' } }) },
];

/** The chat fields Mistral's API takes: another it refuses. */
const MISTRAL_FIELDS = new Set(['model', 'messages', 'temperature', 'top_p', 'max_tokens', 'stream', 'stop', 'random_seed', 'response_format', 'tools', 'tool_choice', 'presence_penalty', 'frequency_penalty', 'n', 'prediction', 'parallel_tool_calls', 'safe_prompt', 'prompt_mode']);

/** A chat completions request OpenAI (or the server the options describe) refuses. */
export function chatRefusal(body: any, options: RefusalOptions): Refusal | undefined {
  // As OpenAI's API answers a request with nothing to answer.
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return refusal(400, { error: { message: "[] is too short - 'messages'", type: 'invalid_request_error', param: null, code: null } });
  }
  // OpenAI's `-pro` and `-codex` models are served by its Responses API alone.
  if (/-(?:pro|codex)$/.test(String(body.model))) {
    return refusal(404, { error: { message: 'This model is only supported in v1/responses and not in v1/chat/completions.', type: 'invalid_request_error', param: 'model', code: null } });
  }
  const refused = effortRefusal(body.model, body.reasoning_effort, 'reasoning_effort');
  if (refused) return refusal(400, refused);
  // As OpenRouter refuses to turn off a model that always reasons.
  if (String(body.model).startsWith('stealth/') && (body.reasoning_effort === 'none' || body.reasoning?.enabled === false)) {
    return refusal(400, { error: { message: 'Reasoning is mandatory for this endpoint and cannot be disabled.', code: 400, metadata: { provider_name: null } } });
  }
  const named = nameRefusal(body.tools, (tool) => tool?.function?.name, 'function.name');
  if (named) return refusal(400, named);
  // As OpenAI refuses a history's call id over 40 characters (opencode Zen's and Portkey's ran to 46).
  for (const [i, m] of body.messages.entries()) {
    const ids: [string, unknown][] = [...(m.tool_calls ?? []).map((c: any, j: number) => [`messages[${i}].tool_calls[${j}].id`, c.id] as [string, unknown]), ...(m.role === 'tool' ? [[`messages[${i}].tool_call_id`, m.tool_call_id] as [string, unknown]] : [])];
    const long = ids.find(([, id]) => typeof id === 'string' && id.length > 40);
    if (long) return refusal(400, { error: { message: `Invalid '${long[0]}': string too long. Expected a string with maximum length 40, but got a string with length ${String(long[1]).length} instead.`, type: 'invalid_request_error', param: long[0], code: 'string_above_max_length' } });
  }
  // As OpenAI refuses a tool's description given as null (MCP bridges send one for a tool without).
  const nullDescribed = Array.isArray(body.tools) ? body.tools.findIndex((tool: any) => tool?.function?.description === null) : -1;
  if (nullDescribed >= 0) {
    const param = `tools[${nullDescribed}].function.description`;
    return refusal(400, { error: { message: `Invalid type for '${param}': expected a string, but got null instead.`, type: 'invalid_request_error', param, code: 'invalid_type' } });
  }
  const lookaround = lookaroundIn(body.tools, ['function', 'parameters']);
  if (lookaround) return refusal(400, { error: { message: `Invalid schema for function '${lookaround.tool}': '${lookaround.pattern}' is not a 'regex'.`, type: 'invalid_request_error', param: 'tools', code: 'invalid_function_parameters' } });
  // As OpenAI (and DeepSeek) refuse an empty tool list, and a tool choice without tools.
  if (Array.isArray(body.tools) && body.tools.length === 0) {
    return refusal(400, { error: { message: "Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array instead.", type: 'invalid_request_error', param: 'tools', code: 'empty_array' } });
  }
  for (const param of ['tool_choice', 'parallel_tool_calls']) {
    if (body[param] !== undefined && !body.tools) return refusal(400, { error: { message: `Invalid value for '${param}': '${param}' is only allowed when 'tools' are specified.`, type: 'invalid_request_error', param, code: null } });
  }
  if (options.chunkQuirk === 'openrouter-details') {
    const lost = detailsLost(body.messages);
    if (lost) return refusal(400, { error: { message: 'Provider returned error', code: 400, metadata: { raw: `Gemini models require OpenRouter reasoning details to be preserved in each request. Please refer to our docs: https://openrouter.ai/docs/guides/best-practices/reasoning-tokens#preserving-reasoning-blocks. Upstream error: Function call is missing a thought_signature in functionCall parts. Additional data, function call \`default_api:${lost}\``, provider_name: 'Google AI Studio' } } });
  }
  if (options.nineCharIds) {
    const ids = body.messages.flatMap((m: any) => [...(m.tool_calls ?? []).map((c: any) => c.id), ...(m.role === 'tool' ? [m.tool_call_id] : [])]);
    const wrong = ids.find((id: unknown) => !/^[a-zA-Z0-9]{9}$/.test(String(id)));
    if (wrong !== undefined) return refusal(400, { object: 'error', message: `Tool call id was ${String(wrong)} but must be a-z, A-Z, 0-9, with a length of 9.`, type: 'invalid_function_call', param: null, code: '3280' });
  }
  if (options.parsesCallArguments) {
    for (const call of body.messages.flatMap((m: any) => m.tool_calls ?? [])) {
      try {
        JSON.parse(call.function.arguments);
      } catch (error) {
        return refusal(500, { error: { code: 500, message: `Failed to parse tool call arguments as JSON: [json.exception.parse_error.101] ${(error as Error).message}`, type: 'server_error' } });
      }
    }
  }
  if (options.systemFirst && body.messages.some((m: any, i: number) => m.role === 'system' && i > 0)) {
    if (options.systemFirst === 'vllm') return refusal(400, { error: { message: 'System message must be at the beginning.', type: 'BadRequestError', param: null, code: 400 } });
    const message = "Unable to generate parser for this template. Automatic parser generation failed: \n------------\nWhile executing CallExpression at line 85, column 32 in source:\n...first %}\n            {{- raise_exception('System message must be at the beginnin...\n                                           ^\nError: Jinja Exception: System message must be at the beginning.";
    return refusal(400, { error: { code: 400, message, type: 'invalid_request_error' } });
  }
  if (options.thinksByDefault && body.messages.at(-1)?.role === 'assistant' && body.chat_template_kwargs?.enable_thinking !== false) {
    return refusal(400, { error: { code: 400, message: 'Assistant response prefill is incompatible with enable_thinking.', type: 'invalid_request_error' } });
  }
  const unreasoned = options.wantsHistoryReasoning ? body.messages.findIndex((m: any) => m.role === 'assistant' && m.tool_calls?.length && typeof m.reasoning_content !== 'string') : -1;
  if (unreasoned >= 0) {
    if (options.wantsHistoryReasoning === 'deepseek') return refusal(400, { error: { message: 'The `reasoning_content` in the thinking mode must be passed back to the API.', type: 'invalid_request_error', param: null, code: 'invalid_request_error' } });
    return refusal(400, { error: { message: `thinking is enabled but reasoning_content is missing in assistant tool call message at index ${unreasoned}`, type: 'invalid_request_error' } });
  }
  const extra = options.mistralFields ? Object.keys(body).filter((field) => !MISTRAL_FIELDS.has(field)) : [];
  if (extra.length > 0) {
    const detail = extra.map((field) => ({ type: 'extra_forbidden', loc: ['body', field], msg: 'Extra inputs are not permitted', input: body[field] }));
    return refusal(422, { object: 'error', message: { detail }, type: 'invalid_request_error', param: null, code: null });
  }
  const limit = body.max_completion_tokens ?? body.max_tokens ?? 65_536;
  if (options.creditCovers !== undefined && limit > options.creditCovers) {
    const message = `This request requires more credits, or fewer max_tokens. You requested up to ${limit} tokens, but can only afford ${options.creditCovers}. To increase, visit https://openrouter.ai/settings/credits and add more credits`;
    return refusal(402, { error: { message, code: 402, metadata: { provider_name: null } }, user_id: 'user_2xFake' });
  }
  const media = options.noProjector ? body.messages.flatMap((m: any) => (Array.isArray(m.content) ? m.content : [])).find((part: any) => part?.type === 'image_url' || part?.type === 'input_audio') : undefined;
  if (media) {
    const kind = media.type === 'image_url' ? 'image' : 'audio';
    return refusal(500, { error: { code: 500, message: `${kind} input is not supported - hint: if this is unexpected, you may need to provide the mmproj`, type: 'server_error' } });
  }
  if (options.noToolParser && Array.isArray(body.tools) && (body.tool_choice ?? 'auto') === 'auto') {
    return refusal(400, { error: { message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', type: 'BadRequestError', param: null, code: 400 } });
  }
  if (options.templateFailsTools && Array.isArray(body.tools)) {
    const error = `Error rendering prompt with jinja template: "Cannot call something that is not a function: got UndefinedValue".\n\nThis is usually an issue with the model's prompt template. If you are using a popular model, you can try to search the model under lmstudio-community, which will have fixed prompt templates. If you cannot find one, you are welcome to post this issue to our discord or issue tracker on GitHub. Alternatively, if you know how to write jinja templates, you can override the prompt template in My Models > model settings > Prompt Template.`;
    return refusal(400, { error });
  }
  if (options.withoutJinja && Array.isArray(body.tools)) return refusal(500, { error: { code: 500, message: 'tools param requires --jinja flag', type: 'server_error' } });
  if (options.alternatingRoles && !rolesAlternate(body.messages)) {
    const message = "\n------------\nWhile executing CallExpression at line 189, column 32 in source:\n...== 0) %}\n            {{- raise_exception('After the optional system message, con...\n                                                                      ^\nError: Jinja Exception: After the optional system message, conversation roles must alternate user and assistant roles except for tool calls and results.";
    return refusal(500, { error: { code: 500, message, type: 'server_error' } });
  }
  // As OpenAI refuses a sampling parameter out of its range ("3.0 is greater than the maximum of 2 - 'temperature'").
  for (const [param, least, most] of SAMPLING_RANGES) {
    const value = body[param];
    if (typeof value === 'number' && (value > most || value < least)) {
      const message = value > most ? `${value} is greater than the maximum of ${most} - '${param}'` : `${value} is less than the minimum of ${least} - '${param}'`;
      return refusal(400, { error: { message, type: 'invalid_request_error', param: null, code: null } });
    }
  }
  // As OpenAI (and other providers, in their words) refuse an answer limit over what the model writes.
  const most = Object.entries(MAX_OUTPUT).find(([prefix]) => String(body.model).startsWith(prefix))?.[1];
  const limited = NAMED_LIMITS.find(({ prefix }) => String(body.model).startsWith(prefix));
  for (const param of ['max_tokens', 'max_completion_tokens']) {
    const asked = body[param];
    if (most !== undefined && typeof asked === 'number' && asked > most) {
      return refusal(400, { error: { message: `${param} is too large: ${asked}. This model supports at most ${most} completion tokens, whereas you provided ${asked}.`, type: 'invalid_request_error', param, code: 'invalid_value' } });
    }
    if (limited && typeof asked === 'number' && asked > limited.most) return refusal(400, limited.body(param, asked, limited.most, String(body.model)));
  }
  // As vLLM refuses a prompt and answer limit the window cannot hold together.
  const window = options.contextLength;
  const input = options.promptTokens ?? 12;
  const asked = body.max_completion_tokens ?? body.max_tokens;
  if (window !== undefined && (input >= window || (typeof asked === 'number' && input + asked > window))) {
    const message = input >= window ? `This model's maximum context length is ${window} tokens. However, your request has ${input} input tokens. Please reduce the length of the input messages.` : `'max_tokens' or 'max_completion_tokens' is too large: ${asked}. This model's maximum context length is ${window} tokens and your request has ${input} input tokens (${asked} > ${window} - ${input}). None`;
    return refusal(400, { error: { message, type: 'BadRequestError', param: null, code: 400 } });
  }
  // As OpenAI takes four stop sequences at most, and its reasoning models none.
  if (Array.isArray(body.stop) && body.stop.length > 4) {
    return refusal(400, { error: { message: `Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length ${body.stop.length} instead.`, type: 'invalid_request_error', param: 'stop', code: 'array_above_max_length' } });
  }
  if (body.stop != null && /^(?:o\d|gpt-5)/.test(String(body.model))) {
    return refusal(400, { error: { message: "Unsupported parameter: 'stop' is not supported with this model.", type: 'invalid_request_error', param: 'stop', code: 'unsupported_parameter' } });
  }
  return undefined;
}

/** A Responses request OpenAI (or the server the options describe) refuses. */
export function responsesRefusal(body: any, options: RefusalOptions): Refusal | undefined {
  const refused = effortRefusal(body.model, body.reasoning?.effort, 'reasoning.effort');
  if (refused) return refusal(400, refused);
  const unknown = options.refusesResponsesFields?.find((field) => field in body);
  if (unknown) return refusal(400, { error: { message: `Upstream request failed: [invalid_request_error] unknown parameter \`${unknown}\``, type: 'invalid_request_error', param: null, code: null } });
  if (options.requiresTextFormat && !body.text?.format) return refusal(400, { error: { message: 'Required', type: 'invalid_request_error', param: 'text.format', code: 'missing_required_parameter' } });
  const other = options.refusesOtherTools && Array.isArray(body.tools) ? body.tools.findIndex((tool: any) => tool?.type !== 'function' && tool?.type !== 'mcp') : -1;
  if (other >= 0 && options.refusesOtherTools === 'llama.cpp') return refusal(400, { error: { code: 400, message: "'type' of tool must be 'function'", type: 'invalid_request_error' } });
  if (other >= 0) return refusal(400, { error: { message: "Invalid discriminator value. Expected 'function' | 'mcp'", type: 'invalid_request_error', param: `tools.${other}.type`, code: 'invalid_union_discriminator' } });
  const rich = options.refusesOtherTools === 'llama.cpp' && Array.isArray(body.input) && body.input.some((item: any) => item?.type === 'function_call_output' && typeof item.output !== 'string');
  if (rich) return refusal(400, { error: { code: 400, message: "Output of tool call should be 'Input text'", type: 'invalid_request_error' } });
  const named = nameRefusal(body.tools, (tool) => (tool?.type === 'function' ? tool.name : undefined), 'name');
  if (named) return refusal(400, named);
  const lookaround = lookaroundIn(body.tools, ['parameters']);
  if (lookaround) return refusal(400, { error: { message: `Invalid JSON schema: regex lookaround is not supported. Found at ${lookaround.at}.`, type: 'invalid_request_error', param: 'tools', code: 'invalid_function_parameters' } });
  return undefined;
}

/** OpenAI's refusal of a function name over 64 characters or with other characters than its pattern's, in its words. */
function nameRefusal(tools: unknown, nameOf: (tool: any) => unknown, field: string) {
  if (!Array.isArray(tools)) return undefined;
  for (const [i, tool] of tools.entries()) {
    const name = nameOf(tool);
    if (typeof name !== 'string') continue;
    const param = `tools[${i}].${field}`;
    if (name.length > 64) return { error: { message: `Invalid '${param}': string too long. Expected a string with maximum length 64, but got a string with length ${name.length} instead.`, type: 'invalid_request_error', param, code: 'string_above_max_length' } };
    if (!/^[a-zA-Z0-9_-]+$/.test(name)) return { error: { message: `Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, type: 'invalid_request_error', param, code: 'invalid_value' } };
  }
  return undefined;
}

/**
 * A `pattern` with a lookaround in a tool's schema, which OpenAI's validator refuses (its regex
 * engine has none): where it is, and in which tool. `path` leads from a tool to its schema.
 */
function lookaroundIn(tools: unknown, path: string[]): { tool: string; pattern: string; at: string } | undefined {
  const find = (schema: any, at: string): { pattern: string; at: string } | undefined => {
    if (!schema || typeof schema !== 'object') return undefined;
    if (typeof schema.pattern === 'string' && /\(\?<?[=!]/.test(schema.pattern)) return { pattern: schema.pattern, at: `${at}.pattern` };
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'enum' || key === 'default' || key === 'const') continue;
      const found = find(value, `${at}.${key}`);
      if (found) return found;
    }
    return undefined;
  };
  for (const tool of Array.isArray(tools) ? tools : []) {
    const schema = path.reduce((value: any, key) => value?.[key], tool);
    const found = find(schema, '$');
    if (found) return { tool: tool.function?.name ?? tool.name, ...found };
  }
  return undefined;
}

/** As OpenRouter's Gemini 3 refuses a history: the name of a call whose turn did not give back its signature (and the reasoning text whole). */
function detailsLost(messages: any[]): string | undefined {
  for (const m of messages) {
    if (m.role !== 'assistant' || !m.tool_calls?.length) continue;
    const details: any[] = Array.isArray(m.reasoning_details) ? m.reasoning_details : [];
    const whole = details.some((d) => d.type === 'reasoning.text' && d.text === DETAILS_TEXT && d.index === 0);
    const missing = m.tool_calls.find((call: any) => !details.some((d) => d.type === 'reasoning.encrypted' && d.data === signatureOf(call.id).data));
    if (missing || !whole) return (missing ?? m.tool_calls[0]).function?.name ?? 'unknown';
  }
  return undefined;
}

/** Mistral's template: after an optional system message, user and assistant in turn (tool results after the assistant's calls). */
function rolesAlternate(messages: any[]): boolean {
  const turns = messages.filter((m, i) => !(i === 0 && m.role === 'system') && m.role !== 'tool');
  return turns.every((m, i) => m.role === (i % 2 === 0 ? 'user' : 'assistant'));
}
