/**
 * Responses servers that take less of Codex's requests than OpenAI's API does, learned from their
 * refusals: tools other than functions (LM Studio: "Invalid discriminator value. Expected 'function'
 * | 'mcp'" at `tools.N.type`; llama.cpp: "'type' of tool must be 'function'", for Codex's freeform
 * `apply_patch`, its MCP namespaces, web search), and a tool's output that is not text alone
 * (llama.cpp: "Output of tool call should be 'Input text'", for the image Codex's `view_image`
 * returns). Codex failed on its first prompt, or on its first look at an image. Such a request goes
 * to that model translated to chat instead (codec.ts opens namespaces, makes custom tools functions
 * of one string, leaves hosted tools out, and puts a tool's images in a user message after it: a
 * server that speaks Responses alone gets that back as Responses of functions and text); learned
 * from its first refusal, remembered per provider and model while the gateway runs. A request that
 * has none of it still goes as sent.
 */
import type { DeploymentConfig } from '../../config/schema';
import { isUpstreamError } from '../../errors';
import type { ProviderAdapter } from '../../providers/types';

/** Models remembered at most: any number may be asked for. */
const MAX_MODELS = 1_000;

/** What of a request a server may refuse. */
type Part = 'tools' | 'outputs';
/** A request's parts, found when first asked for: most requests never need them (no server refused anything yet). */
type Parts = () => ReadonlySet<Part>;

const REFUSALS: { part: Part; param?: RegExp; words: RegExp }[] = [
  { part: 'tools', param: /^tools(?:\.|\[)\d+\]?\.type$/, words: /discriminator|tool type|'type' of tool/i },
  { part: 'outputs', words: /output of tool call should be/i },
];

/** What a request has that such servers refuse: tools but functions (an MCP server they run themselves), a tool's output but text. */
function partsOf(tools: unknown, items: readonly unknown[]): ReadonlySet<Part> {
  const parts = new Set<Part>();
  if (Array.isArray(tools) && tools.some((tool) => !['function', 'mcp'].includes(String((tool as { type?: unknown } | null)?.type)))) parts.add('tools');
  const richOutput = (item: unknown) => {
    const { type, output } = (item ?? {}) as { type?: unknown; output?: unknown };
    return (type === 'function_call_output' || type === 'custom_tool_call_output') && output != null && typeof output !== 'string';
  };
  if (items.some(richOutput)) parts.add('outputs');
  return parts;
}

/** `parts` found once, when first asked for. */
export function partsWhenAsked(tools: unknown, items: readonly unknown[]): Parts {
  let parts: ReadonlySet<Part> | undefined;
  return () => (parts ??= partsOf(tools, items));
}

export function createToolRefusals() {
  const refusing = new Map<string, Set<Part>>();
  const key = (provider: ProviderAdapter, deployment: DeploymentConfig) => `${provider.config.name}\u0000${deployment.model}`;
  /** Whether this request is to go translated: its model refused a part of it before. */
  const refuses = (at: string, parts: Parts): boolean => {
    const refused = refusing.get(at);
    return refused !== undefined && [...parts()].some((part) => refused.has(part));
  };
  /** Whether `error` refuses a part this request has: then it is noted. */
  const learned = (error: unknown, at: string, parts: Parts): boolean => {
    if (!isUpstreamError(error) || error.status !== 400 || parts().size === 0) return false;
    const param = String(error.upstreamError?.param ?? '');
    const said = (error.upstreamError?.message ?? '').slice(0, 2_000);
    const refusal = REFUSALS.find((r) => parts().has(r.part) && (r.param?.test(param) || r.words.test(said)));
    if (!refusal) return false;
    if (refusing.size >= MAX_MODELS) refusing.clear();
    refusing.set(at, new Set([...(refusing.get(at) ?? []), refusal.part]));
    return true;
  };
  return {
    /**
     * One attempt on a deployment: as sent (`asSent`, where the deployment takes the request so)
     * unless its model refused a part of it before; a refusal of a part it has is learned, and the
     * same attempt goes translated (`asChat`). Any other failure is the attempt's.
     */
    async attempt<T>(provider: ProviderAdapter, deployment: DeploymentConfig, parts: Parts, asSent: (() => Promise<T>) | undefined, asChat: () => Promise<T>): Promise<T> {
      const at = key(provider, deployment);
      if (!asSent || refuses(at, parts)) return asChat();
      try {
        return await asSent();
      } catch (error) {
        if (!learned(error, at, parts)) throw error;
        return asChat();
      }
    },
  };
}
