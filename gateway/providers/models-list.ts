/**
 * A provider's models list, as its health probe and model discovery read it. Some APIs keep none:
 * MiniMax's (its OpenAI- and Anthropic-compatible ones alike) and Moonshot's answer 404, and the
 * Overview showed such a provider down beside its answered requests. A server that answers 404
 * or 405 is up; its models are unknown (null), not none.
 */
import type { CancelSignal } from '../cancel';
import { UpstreamError } from '../errors';
import type { Transport } from './transport';
import type { ProbeResult } from './types';

export async function modelsList(transport: Transport, path: string, providerName: string, signal: CancelSignal): Promise<ProbeResult> {
  try {
    const { value } = await transport.json<{ data?: { id?: unknown }[] }>({ method: 'GET', path }, signal);
    if (!Array.isArray(value?.data)) throw new UpstreamError('upstream_protocol', `${providerName}'s models list has no data array`);
    return { models: value.data.map((m) => String(m.id)) };
  } catch (error) {
    if (error instanceof UpstreamError && (error.status === 404 || error.status === 405)) return { models: null };
    throw error;
  }
}
