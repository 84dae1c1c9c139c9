/**
 * A provider whose base URL is this gateway (an `OPENAI_BASE_URL` exported for the tools, read at
 * first start; a LAN address of this machine) would send each request around forever, every lap
 * one more request in flight. Every request the gateway sends upstream names it in
 * `x-switchyard-via`, and a model surface refuses a request that names itself, at once and with a
 * message that says which way the loop goes. The attempt then fails as any 5xx does, so the
 * request moves on to the next deployment and the health report shows the provider down.
 * Registered inside each model surface, so its hook runs for that surface's routes only.
 */
import fp from 'fastify-plugin';
import { GatewayError } from '../errors';
import { VIA_HEADER } from '../providers/via';

export interface LoopGuardOptions {
  /** This gateway's own id, made at start and sent with every upstream request. */
  gatewayId: string;
}

export const loopGuardPlugin = fp<LoopGuardOptions>(
  async (app, { gatewayId }) => {
    app.addHook('onRequest', async (request) => {
      const via = request.headers[VIA_HEADER];
      if (via === undefined) return;
      // A proxy between may have joined repeated headers into one list.
      if ((Array.isArray(via) ? via : [via]).some((value) => value.split(',').some((id) => id.trim() === gatewayId))) {
        throw new GatewayError(
          'loop_detected',
          `This request came from this Switchyard itself: a provider's base URL points at this gateway (${request.headers.host ?? 'its own address'}), so every request would go round forever. Point that provider at the upstream server instead.`,
        );
      }
    });
  },
  { name: 'switchyard-loop-guard' },
);
