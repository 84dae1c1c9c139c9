/**
 * Claude Code's billing line, `x-anthropic-billing-header: cc_version=2.1.117.48f; cc_entrypoint=cli;
 * cch=71fea;`, sent as the first block of every request's `system`. Its `cch` changes with every
 * request, so a server that caches by prompt prefix (Ollama, llama.cpp, vLLM, LM Studio, and the
 * automatic caching of cloud APIs) matches nothing past it and reads the whole prompt again every
 * turn: tens of thousands of tokens of Claude Code's system prompt and tools, seconds to a minute
 * on a local model. Only Anthropic's own API reads it; every other upstream gets the request without it.
 */
type Block = { type?: unknown; text?: unknown };

const PREFIX = 'x-anthropic-billing-header:';
const LEADING_LINE = /^x-anthropic-billing-header:[^\n]*(?:\n|$)/;

const isBillingBlock = (block: Block | null) => block?.type === 'text' && typeof block.text === 'string' && block.text.startsWith(PREFIX);

/** The body without the billing line in `system`; the body itself when it has none. */
export function withoutBillingHeader<T extends object>(body: T): T {
  const { system } = body as { system?: unknown };
  if (typeof system === 'string') return system.startsWith(PREFIX) ? { ...body, system: system.replace(LEADING_LINE, '') } : body;
  if (!Array.isArray(system) || !system.some(isBillingBlock)) return body;
  return { ...body, system: (system as (Block | null)[]).filter((block) => !isBillingBlock(block)) };
}
