/**
 * A provider's models list, as its health probe and model discovery read it. Some APIs keep none:
 * MiniMax's (its OpenAI- and Anthropic-compatible ones alike) and Moonshot's answer 404, and the
 * Overview showed such a provider down beside its answered requests. A server that answers 404
 * or 405 is up; its models are unknown (null), not none.
 *
 * Unless the base URL is the likely cause: LM Studio's or vLLM's address without `/v1` is the
 * commonest mistake in a provider's setup that validation cannot see (a server at its origin is as
 * valid), and every request would then fail as a missing model. Where the list answers at the
 * address the base URL most likely meant (same origin, so the key goes nowhere new), the probe fails
 * saying which. A path too many (an endpoint's, Anthropic's `/v1`) is refused at validation.
 *
 * Many lists say each model's context window too (vLLM, Groq, OpenRouter, Together, Mistral,
 * Anthropic), and some the most one answer may have (Anthropic, Groq, OpenRouter): the router then
 * knows a model the bundled table does not, as the server serves it.
 */
import type { CancelSignal } from '../cancel';
import { UpstreamError } from '../errors';
import type { Transport } from './transport';
import type { ListedLimits, ProbeResult } from './types';

/** Where else to look for the list, and what to tell the user when it is there. */
export interface LikelyBaseUrl {
  path: string;
  baseUrl: string;
}

export async function modelsList(transport: Transport, path: string, providerName: string, signal: CancelSignal, likely?: LikelyBaseUrl): Promise<ProbeResult> {
  try {
    return await listAt(transport, path, providerName, signal);
  } catch (error) {
    if (!(error instanceof UpstreamError && (error.status === 404 || error.status === 405))) throw error;
    if (likely && (await listAt(transport, likely.path, providerName, signal).catch(() => undefined))) {
      throw new UpstreamError('upstream_4xx', `${providerName} has no API at its base URL; it answers at ${likely.baseUrl}: set that as its base URL`, { status: error.status });
    }
    return { models: null };
  }
}

type ListedModel = { id?: unknown; top_provider?: { max_completion_tokens?: unknown } | null } & Partial<Record<(typeof WINDOW_FIELDS)[number] | (typeof OUTPUT_FIELDS)[number], unknown>>;

/**
 * Where a list entry says the model's context window: vLLM's serving limit (`max_model_len`), Groq's
 * `context_window`, OpenRouter's and Together's `context_length`, Mistral's `max_context_length`,
 * Anthropic's `max_input_tokens`.
 */
const WINDOW_FIELDS = ['max_model_len', 'context_window', 'context_length', 'max_context_length', 'max_input_tokens'] as const;
/**
 * Where a list entry says the most one answer may have: Anthropic's `max_tokens`, Groq's
 * `max_completion_tokens` (and OpenRouter's under `top_provider`).
 */
const OUTPUT_FIELDS = ['max_tokens', 'max_completion_tokens'] as const;
/** A size past this is no size any model has: a field that means something else. */
const MOST_TOKENS = 100_000_000;
const isTokens = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0 && (n as number) <= MOST_TOKENS;

async function listAt(transport: Transport, path: string, providerName: string, signal: CancelSignal): Promise<ProbeResult> {
  const { value } = await transport.json<{ data?: ListedModel[] } | ListedModel[]>({ method: 'GET', path }, signal);
  // Together's is the array itself, not an object holding it.
  const listed = Array.isArray(value) ? value : value?.data;
  if (!Array.isArray(listed)) throw new UpstreamError('upstream_protocol', `${providerName}'s models list has no data array`);
  const limits = new Map<string, ListedLimits>();
  const models = listed.map((m) => {
    // Google lists Gemini's models by resource name (`models/gemini-2.5-flash`); its API takes the name after it.
    const id = String(m?.id).replace(/^models\//, '');
    const window = WINDOW_FIELDS.map((field) => m?.[field]).find(isTokens);
    const maxOutput = [...OUTPUT_FIELDS.map((field) => m?.[field]), m?.top_provider?.max_completion_tokens].find(isTokens);
    if (window !== undefined || maxOutput !== undefined) limits.set(id, { ...(window === undefined ? {} : { window }), ...(maxOutput === undefined ? {} : { maxOutput }) });
    return id;
  });
  return { models, ...(limits.size > 0 ? { limits } : {}) };
}

/** An OpenAI-compatible base URL with no path: most servers (LM Studio, vLLM, Ollama's) answer under /v1. */
export function withV1(baseUrl: string): LikelyBaseUrl | undefined {
  const url = new URL(baseUrl);
  return url.pathname.replace(/\/+$/, '') === '' ? { path: '/v1/models', baseUrl: `${url.origin}/v1` } : undefined;
}
