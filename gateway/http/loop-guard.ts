/**
 * A provider whose base URL is this gateway (an `OPENAI_BASE_URL` exported for the tools, read at
 * first start; a LAN address of this machine) would send each request around forever, every lap
 * one more request in flight. Every request the gateway sends upstream names it in
 * `x-switchyard-via`, after the gateways the request had already passed through (two Switchyards
 * that each fall back to the other make a loop too), and a model surface refuses a request that
 * names itself, at once and with a message that says which way the loop goes. The attempt then
 * fails as any 5xx does, so the request moves on to the next deployment and the health report
 * shows the provider down. Registered inside each model surface, so its hook runs for that
 * surface's routes only.
 */
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { GatewayError } from '../errors';
import { VIA_HEADER } from '../providers/via';

/** Characters of the chain kept: some 40 gateway ids. */
const MAX_VIA_LENGTH = 1_024;

export interface LoopGuardOptions {
  /** This gateway's own id, made at start and sent with every upstream request. */
  gatewayId: string;
}

export const loopGuardPlugin = fp<LoopGuardOptions>(
  async (app, { gatewayId }) => {
    app.addHook('onRequest', async (request) => {
      const via = viaOf(request);
      if (via === undefined) return;
      if (via.split(',').some((id) => id.trim() === gatewayId)) {
        const hops = via.split(',').length;
        throw new GatewayError(
          'loop_detected',
          hops === 1
            ? `This request came from this Switchyard itself: a provider's base URL points at this gateway (${request.headers.host ?? 'its own address'}), so every request would go round forever. Point that provider at the upstream server instead.`
            : `This request left this Switchyard and came back through ${hops - 1} other Switchyard${hops > 2 ? 's' : ''} (${request.headers.host ?? 'its own address'}): gateways that fall back to each other would send it round forever. Give one of them a route that does not lead back.`,
        );
      }
    });
  },
  { name: 'switchyard-loop-guard' },
);

/** The gateways a request passed through, as one list: a proxy between may have joined repeated headers. */
export function viaOf(request: FastifyRequest): string | undefined {
  const via = request.headers[VIA_HEADER];
  if (via === undefined || via === '') return undefined;
  // A chain longer than any real one is cut: it only has to carry this gateway's id far enough to come back.
  const chain = Array.isArray(via) ? via.join(', ') : via;
  return chain.length > MAX_VIA_LENGTH ? chain.slice(chain.length - MAX_VIA_LENGTH) : chain;
}
