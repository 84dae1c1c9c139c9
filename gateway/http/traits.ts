/**
 * A request's traits, read from its body whatever its API (chat, Messages, Responses, Ollama): what
 * the router filters and picks routes by without knowing wire formats. Only the size is read at
 * once; the rest is worked out on first use, each in one pass over the body's structure (never its
 * strings, but for the token estimate, which is linear in the text).
 */
import type { RequestTraits } from '../routing/traits';
import { IMAGE_PARTS, promptOf, quickPromptTokens, quickTokenCount } from '../usage/tokens';
import { toolsShown } from '../wire/tool-deferral';

type Body = Record<string, unknown>;

/**
 * `numCtx`: the window an Ollama client's request names (its `options.num_ctx`); `longContext`: the
 * client opts into its model's longer window (Anthropic's `context-1m` beta); `cutToFit`: an Ollama
 * may cut its input to fit (embed's `truncate`). Each read by its front door.
 */
export function traitsOf(body: unknown, contentLength: string | undefined, numCtx?: number, longContext = false, cutToFit = false, batch = false): RequestTraits {
  const b = (body && typeof body === 'object' ? body : {}) as Body;
  const length = Number(contentLength);
  let prompt: number | undefined;
  let longest: number | undefined;
  let images: boolean | undefined;
  return {
    // Without a length (a chunked upload) the body's size is unknown: the estimate decides.
    bodyBytes: Number.isFinite(length) && length >= 0 ? length : Number.POSITIVE_INFINITY,
    maxTokens: maxTokensOf(b),
    promptTokens: () => (prompt ??= quickPromptTokens(promptOf(b)) + toolTokens(b)),
    tools: Array.isArray(b.tools) && b.tools.length > 0,
    // A function, not a getter: on Node 20 an object literal with an accessor takes 0.3 us to make, one without 0.02.
    images: () => (images ??= hasImages(b)),
    thinking: asksToThink(b),
    fillInMiddle: typeof b.suffix === 'string' && b.suffix !== '',
    numCtx,
    longContext,
    cutToFit,
    readTokens: batch && Array.isArray(b.input) ? () => (longest ??= longestInput(b.input as unknown[])) : undefined,
  };
}

/** An embeddings batch's longest input in tokens: a text's estimate, a list of token ids' length. */
function longestInput(inputs: unknown[]): number {
  // A list of numbers is one input, as token ids.
  if (typeof inputs[0] === 'number') return inputs.length;
  let most = 0;
  for (const input of inputs) {
    const tokens = typeof input === 'string' ? quickTokenCount(input) : Array.isArray(input) ? input.length : 0;
    if (tokens > most) most = tokens;
  }
  return most;
}

/**
 * The tools the model is shown: Claude Code's deferred MCP tools (tool search) only once a search
 * loaded them, as every server it reaches shows them (wire/tool-deferral.ts). Counted whole, 250 of
 * them made a short request 90,000 tokens and passed over every local model.
 */
function toolTokens(b: Body): number {
  if (!Array.isArray(b.tools)) return 0;
  const tools = (b.tools as unknown[]).filter((tool): tool is Body => tool !== null && typeof tool === 'object');
  return Math.ceil(quickTokenCount(JSON.stringify(toolsShown(tools, b.messages, b.tool_choice))) * 0.5);
}

function maxTokensOf(b: Body): number {
  for (const value of [b.max_tokens, b.max_completion_tokens, b.max_output_tokens, (b.options as Body | undefined)?.num_predict]) {
    if (typeof value === 'number' && value > 0) return value;
  }
  return 0;
}

function asksToThink(b: Body): boolean {
  const effort = b.reasoning_effort ?? (b.reasoning as Body | undefined)?.effort;
  if (typeof effort === 'string') return effort !== 'none';
  const thinking = (b.thinking as Body | undefined)?.type;
  if (typeof thinking === 'string') return thinking !== 'disabled';
  return b.think === true || (typeof b.think === 'string' && b.think !== '');
}

/**
 * Any image in the request: chat and Responses parts, Messages blocks, Ollama's `images` lists, and
 * what tools returned (a Messages tool result's blocks, a Responses function call's output parts).
 */
function hasImages(b: Body): boolean {
  if (Array.isArray(b.images) && b.images.length > 0) return true;
  for (const list of [b.messages, b.input]) {
    if (!Array.isArray(list)) continue;
    for (const item of list as Body[]) {
      if (!item || typeof item !== 'object') continue;
      if (Array.isArray(item.images) && item.images.length > 0) return true;
      if (IMAGE_PARTS.has(item.type) || anyImage(item.output)) return true;
      if (!Array.isArray(item.content)) continue;
      for (const part of item.content as Body[]) if (part && (IMAGE_PARTS.has(part.type) || anyImage(part.content))) return true;
    }
  }
  return false;
}

function anyImage(parts: unknown): boolean {
  return Array.isArray(parts) && parts.some((part) => part && IMAGE_PARTS.has((part as Body).type));
}
