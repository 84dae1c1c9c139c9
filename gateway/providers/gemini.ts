/**
 * Google's OpenAI compatibility layer for Gemini (`https://generativelanguage.googleapis.com/v1beta/openai`,
 * and Vertex AI's `.../endpoints/openapi`): an OpenAI-compatible server with rules of its own, which
 * a chat request is made to follow here, as forOfficialOpenAI does for OpenAI's.
 */
import type { ProviderConfig } from '../config/schema';
import { nearestEffort } from '../models/efforts';
import { withoutHistoryReasoning, type ChatRequest } from '../wire/canonical';
import { geminiSchema } from './gemini-schema';

/** Google's own hosts, or its compatibility layer's paths (what a base URL for it ends in). */
export function isGoogle(config: ProviderConfig): boolean {
  try {
    const url = new URL(config.baseUrl);
    return url.hostname.endsWith('.googleapis.com') || /\/(?:v1beta\/openai|endpoints\/openapi)\/?$/.test(url.pathname);
  } catch {
    return false;
  }
}

/**
 * Documented by Google for a history whose function calls Gemini did not sign (another model's, or
 * one a client could not keep the signature of): it tells Gemini to skip the check.
 */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

/** The efforts Google takes ("Valid values are: high, low, medium, none"). */
const EFFORTS = ['none', 'low', 'medium', 'high'] as const;

type Call = { extra_content?: Record<string, { thought_signature?: unknown } | undefined> };

/**
 * A chat completion as Google takes it:
 * - Gemini 3 refuses a history whose function calls lack the signature it gave them ("Function call
 *   is missing a thought_signature"). A chat client that keeps Gemini's `extra_content` sends it
 *   back itself; a conversation from Claude Code or Codex, or begun on another model, has none, so
 *   the first call of each such turn carries the value that skips the check;
 * - reasoning in the history is refused as an unknown field (Gemini keeps its own behind the signature);
 * - `reasoning_effort` "minimal", "xhigh" and "max" are refused: the nearest it takes goes instead;
 * - schemas of tools and structured answers are refused past its subset of JSON Schema (gemini-schema.ts),
 *   and it has no strict mode to ask for.
 */
export function forGemini(request: ChatRequest): ChatRequest {
  let out = request;
  const effort = nearestEffort(out.reasoning_effort, EFFORTS);
  if (effort && effort !== out.reasoning_effort) out = { ...out, reasoning_effort: effort };
  if (out.tools?.length) out = { ...out, tools: out.tools.map(geminiTool) };
  const format = out.response_format;
  if (format?.type === 'json_schema') out = { ...out, response_format: { ...format, json_schema: { ...format.json_schema, schema: geminiSchema(format.json_schema.schema) } } };
  out = withoutHistoryReasoning(out);
  if (!out.messages.some((m) => m.role === 'assistant' && unsigned(m.tool_calls))) return out;
  return {
    ...out,
    messages: out.messages.map((m) => {
      if (m.role !== 'assistant' || !unsigned(m.tool_calls)) return m;
      const [first, ...others] = m.tool_calls!;
      const extra = (first as Call).extra_content;
      return { ...m, tool_calls: [{ ...first!, extra_content: { ...extra, google: { ...extra?.google, thought_signature: SKIP_SIGNATURE } } } as typeof first & Call, ...others] };
    }),
  };
}

type Tool = NonNullable<ChatRequest['tools']>[number];

function geminiTool(tool: Tool): Tool {
  if (tool.type !== 'function') return tool;
  const { strict: _strict, parameters, ...rest } = tool.function;
  return { type: 'function', function: { ...rest, parameters: geminiSchema(parameters) } };
}

/**
 * Tool calls none of which carries Gemini's signature (only the first of parallel calls has one),
 * under `google` or any other name (Vertex AI's answers have been seen to use `vertex`).
 */
function unsigned(calls: readonly object[] | undefined): boolean {
  return calls !== undefined && calls.length > 0 && !calls.some((call) => Object.values((call as Call).extra_content ?? {}).some((vendor) => typeof vendor?.thought_signature === 'string'));
}
