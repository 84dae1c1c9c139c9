/**
 * Responses servers that take function tools and nothing else: LM Studio refuses every Codex request
 * that offers its MCP namespaces, its freeform `apply_patch`, web search or image generation
 * ("Invalid discriminator value. Expected 'function' | 'mcp'" at `tools.N.type`), so Codex through
 * the gateway to it failed on its first prompt. Such a request goes to that model translated to chat
 * instead (codec.ts opens namespaces, makes custom tools functions of one string and leaves hosted
 * tools out: a server that speaks Responses alone gets that back as Responses of functions);
 * learned from its first refusal, remembered per provider and model while the gateway runs. A
 * request that offers only functions still goes as sent.
 */
import type { DeploymentConfig } from '../../config/schema';
import { isUpstreamError } from '../../errors';
import type { ProviderAdapter } from '../../providers/types';

/** Models remembered at most: any number may be asked for. */
const MAX_MODELS = 1_000;

const TOOL_TYPE_PARAM = /^tools(?:\.|\[)\d+\]?\.type$/;
const TOOL_TYPE_WORDS = /discriminator|unsupported tool type|tool type/i;

/** Whether a request offers any tool but a function (or an MCP server, which such servers run themselves). */
export function offersOtherTools(tools: unknown): boolean {
  return Array.isArray(tools) && tools.some((tool) => (tool as { type?: unknown } | null)?.type !== 'function' && (tool as { type?: unknown } | null)?.type !== 'mcp');
}

export function createToolRefusals() {
  const refusing = new Set<string>();
  const key = (provider: ProviderAdapter, deployment: DeploymentConfig) => `${provider.config.name}\u0000${deployment.model}`;
  return {
    /** Whether this request is to go translated: its model refused such tools before. */
    refuses(provider: ProviderAdapter, deployment: DeploymentConfig, tools: unknown): boolean {
      return refusing.size > 0 && offersOtherTools(tools) && refusing.has(key(provider, deployment));
    },
    /** Whether `error` is that refusal, of a request that offered such tools: then it is noted. */
    learned(error: unknown, provider: ProviderAdapter, deployment: DeploymentConfig, tools: unknown): boolean {
      if (!isUpstreamError(error) || error.status !== 400 || !offersOtherTools(tools)) return false;
      const body = error.upstreamError;
      if (!TOOL_TYPE_PARAM.test(String(body?.param ?? '')) && !TOOL_TYPE_WORDS.test(body?.message ?? '')) return false;
      if (refusing.size >= MAX_MODELS) refusing.clear();
      refusing.add(key(provider, deployment));
      return true;
    },
  };
}
