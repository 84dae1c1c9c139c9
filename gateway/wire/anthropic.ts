/**
 * Canonical (OpenAI chat) -> Anthropic Messages, pure: the request side of Anthropic providers'
 * codec (answers come back in anthropic-answers.ts). Types come from the official
 * `@anthropic-ai/sdk` (type-only imports). Requests that arrive in the Messages API pass through
 * instead; this is for every other front door.
 */
import type {
  ContentBlockParam,
  MessageCreateParams as SdkMessageCreateParams,
  MessageParam,
  OutputConfig,
  Tool,
  ToolChoice,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { createHash } from 'node:crypto';
import type { DeploymentConfig } from '../config/schema';
import { ADAPTIVE_THINKING, claudeEfforts, SAMPLING_REMOVED } from '../models/claude';
import { nearestEffort } from '../models/efforts';
import { anthropicUserBlocks, refuseAudioAnswer } from './content-parts';
import { argumentsObject, type ChatRequest } from './canonical';
import type { SignedThinking } from './signed-thinking';
import { stopsOf } from './stop-sequences';
import { toolsChosen, type ToolsChosen } from './tool-choice';
import { withStream } from './copy-with';

/**
 * A Messages request as translations send it: with `anthropic-version: 2023-06-01`, which still takes
 * `temperature` and `top_p`. The SDK's types follow version 2026-10-21, which refuses both.
 */
export type MessageCreateParams = SdkMessageCreateParams & { temperature?: number; top_p?: number };

/**
 * Anthropic answers need a token cap; clients of other APIs often send none, and get the model's
 * most from OpenAI. A Claude model whose most is known gets up to Claude Code's own default (an
 * agent's longest edit: Codex, Cline), where 4,096 cut its patches off; another gets 4,096.
 */
const DEFAULT_MAX_TOKENS = 4096;
const CLAUDE_DEFAULT_MAX_TOKENS = 32_000;
const JSON_MODE = 'Answer with one valid JSON object and nothing else: no text before or after it, and no code fences.';
/** The smallest thinking budget Anthropic takes; a budget must also stay under `max_tokens`. */
const MIN_THINKING_BUDGET = 1024;

/** The largest thinking budget an answer of `maxTokens` leaves room for (and an answer after it). */
export function thinkingBudgetWithin(maxTokens: number): number {
  return Math.max(MIN_THINKING_BUDGET, maxTokens - MIN_THINKING_BUDGET);
}

/** Thinking budgets for OpenAI's reasoning efforts (the models that take a budget have no effort past xhigh's). */
export const THINKING_BUDGETS = { minimal: 1024, low: 1024, medium: 4096, high: 16384, xhigh: 32768, max: 32768 } as const;

type ChatMessageIn = ChatRequest['messages'][number];

/**
 * A canonical chat request as a Messages request for a deployment. `maxOutput`: the most tokens the
 * model writes, which caps `max_tokens` (and so the thinking budget under it).
 */
export function toMessagesRequest(request: ChatRequest, deployment: DeploymentConfig, maxOutput?: number): MessageCreateParams {
  refuseAudioAnswer(request, 'Anthropic');
  const cap = (tokens: number) => (maxOutput === undefined ? tokens : Math.min(tokens, maxOutput));
  const system: string[] = [];
  const messages: MessageParam[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = messages.at(-1);
    // Messages alternate user and assistant: consecutive turns of one role (tool results) merge.
    // A loop, not a spread: a turn may hold more blocks than a call takes arguments.
    if (last && last.role === role && Array.isArray(last.content)) for (const block of blocks) (last.content as ContentBlockParam[]).push(block);
    else messages.push({ role, content: blocks });
  };
  request.messages.forEach((message, i) => {
    if (message.role === 'system' || message.role === 'developer') system.push(textOf(message.content));
    else if (message.role === 'user') push('user', anthropicUserBlocks(message.content, i));
    else if (message.role === 'assistant') push('assistant', assistantBlocks(message));
    else if (message.role === 'tool') push('user', [toolResult(message.tool_call_id, textOf(message.content))]);
    else if (message.role === 'function') push('user', [toolResult(message.name, textOf(message.content))]);
  });
  const fallback = maxOutput !== undefined && deployment.model.startsWith('claude-') ? CLAUDE_DEFAULT_MAX_TOKENS : DEFAULT_MAX_TOKENS;
  const maxTokens = cap(request.max_completion_tokens ?? request.max_tokens ?? fallback);
  const body: MessageCreateParams = { model: deployment.model, max_tokens: maxTokens, messages };
  // Anthropic caches a prompt only when asked (OpenAI and the rest do it unasked): a chat client's
  // conversation, resent whole every turn, reads its prefix from the cache at a tenth of the price.
  if (deployment.model.startsWith('claude-')) body.cache_control = { type: 'ephemeral' };
  // JSON mode has no Messages field: the model is told in the system prompt, or Claude answers in
  // prose or a fenced block that the client's JSON.parse refuses (the AI SDK's generateObject over an
  // OpenAI-compatible provider asks in this mode alone). A schema goes as structured output, below.
  if (request.response_format?.type === 'json_object') system.push(JSON_MODE);
  if (system.length > 0) body.system = system.join('\n\n');
  // Anthropic refuses a stop sequence of whitespace alone; the adapter applies those itself (stop-sequences.ts).
  const stops = stopsOf(request).filter((stop) => /\S/.test(stop));
  if (stops.length > 0) body.stop_sequences = stops;
  if (request.user) body.metadata = { user_id: request.user };
  // A named tool Anthropic forces itself, with every tool still offered (the prompt cache keeps them);
  // `allowed_tools` it has not, so only those are offered.
  const chosen = toolsChosen(request);
  const tools = (chosen.named === undefined ? chosen.allowed : chosen.offered).map((tool): Tool => ({ name: tool.function.name, ...(tool.function.description ? { description: tool.function.description } : {}), input_schema: (tool.function.parameters ?? { type: 'object', properties: {} }) as Tool['input_schema'] }));
  if (tools.length > 0) body.tools = tools;
  const choice = toolChoice(chosen, request.parallel_tool_calls);
  if (choice && tools.length > 0) body.tool_choice = choice;
  const effort = request.reasoning_effort;
  // A call the request forces goes without thinking: Anthropic refuses both ("Thinking may not be
  // enabled when tool_choice forces tool use"), and the choice is the request's rule, the effort a wish.
  const forced = body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool';
  // A tool loop's turn without its thinking goes without thinking on a budget (signed-reasoning.ts, as passed-through requests do).
  if (effort && effort !== 'none' && effort in THINKING_BUDGETS && !forced) {
    const budget = maxOutput === undefined ? THINKING_BUDGETS[effort as keyof typeof THINKING_BUDGETS] : Math.min(THINKING_BUDGETS[effort as keyof typeof THINKING_BUDGETS], thinkingBudgetWithin(maxOutput));
    if (ADAPTIVE_THINKING.test(deployment.model)) {
      body.thinking = { type: 'adaptive', display: 'summarized' };
      body.output_config = { ...body.output_config, effort: nearestEffort(effort, claudeEfforts(deployment.model)) as OutputConfig['effort'] };
    } else {
      body.thinking = { type: 'enabled', budget_tokens: budget };
    }
    // The answer's cap counts the thinking too.
    body.max_tokens = cap(Math.max(maxTokens, budget + MIN_THINKING_BUDGET));
  }
  // Anthropic takes a temperature from 0 to 1 (OpenAI's go to 2), or a top_p, not both; none while
  // the model thinks (it must then be 1), and none at all for the models that dropped them.
  if (!body.thinking && !SAMPLING_REMOVED.test(deployment.model)) {
    if (request.temperature != null) body.temperature = Math.min(1, request.temperature);
    else if (request.top_p != null) body.top_p = request.top_p;
  }
  const format = request.response_format;
  if (format?.type === 'json_schema' && format.json_schema.schema) body.output_config = { ...body.output_config, format: { type: 'json_schema', schema: format.json_schema.schema } };
  return request.stream ? (withStream(body, true) as MessageCreateParams) : body;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p: { type?: string; text?: string; refusal?: string }) => p.text ?? p.refusal ?? '').join('');
  return '';
}

/**
 * A tool call's id as Anthropic takes it (`^[a-zA-Z0-9_-]+$`): other vendors' have dots and colons
 * (Kimi's `functions.Bash:0`), and Anthropic refuses the whole request for one. An id always becomes
 * the same one (a call and its result stay paired), and a changed one ends in a digest of the
 * original, so two different ids never become one.
 */
export function anthropicToolId(id: string): string {
  if (/^[\w-]+$/.test(id)) return id;
  return `${id.slice(0, 64).replace(/[^\w-]/g, '_')}_${createHash('sha256').update(id).digest('hex').slice(0, 12)}`;
}

function assistantBlocks(message: Extract<ChatMessageIn, { role: 'assistant' }>): ContentBlockParam[] {
  // The thinking Claude signed for this turn, back where the turn began (signed-thinking.ts).
  const blocks: ContentBlockParam[] = [...((message as { signed_thinking?: SignedThinking[] }).signed_thinking ?? [])];
  const text = textOf(message.content);
  if (text) blocks.push({ type: 'text', text });
  for (const call of message.tool_calls ?? []) {
    if (call.type !== 'function') continue;
    blocks.push({ type: 'tool_use', id: anthropicToolId(call.id), name: call.function.name, input: argumentsObject(call.function.arguments) } satisfies ToolUseBlockParam);
  }
  return blocks;
}


function toolResult(id: string, content: string): ToolResultBlockParam {
  return { type: 'tool_result', tool_use_id: anthropicToolId(id), content };
}

/** A named function as Anthropic's `{type: "tool"}`; what else a model must do as `any`, `none` or `auto`. */
function toolChoice({ mode, named }: ToolsChosen, parallel: boolean | null | undefined): ToolChoice | undefined {
  const serial = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (mode === 'none') return { type: 'none' };
  if (named !== undefined) return { type: 'tool', name: named, ...serial };
  if (mode === 'required') return { type: 'any', ...serial };
  return parallel === false ? { type: 'auto', ...serial } : undefined;
}
