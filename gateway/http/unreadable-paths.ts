/**
 * A path the router cannot read: a malformed percent-encoding, or a name in it longer than the
 * router takes. Fastify answers those before any route or hook, in a shape of its own that no
 * client reads (`error` a string on the OpenAI API, a code for a message on Ollama's); here they
 * get the front door's error shape and the request id, as every other refusal does.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors';
import { sendError, type ErrorShape } from './model-surface';
import { toWireError } from './wire-errors';

/** A name in a path (/admin/api/routes/NAME, an alias) may be 256 characters, three times that percent-encoded: Fastify's default is 100. */
export const MAX_PATH_NAME_CHARS = 1_024;

export function unreadablePathHandler(shapeFor: (path: string) => ErrorShape) {
  return (error: { code: string }, request: FastifyRequest, reply: FastifyReply): void => {
    const path = request.url.split('?')[0] ?? '';
    const refusal =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new GatewayError('path_too_long', `A name in the path is longer than ${MAX_PATH_NAME_CHARS.toLocaleString('en-US')} characters (as sent, percent-encoded)`)
        : new GatewayError('invalid_request', `The path ${path.length > 200 ? `${path.slice(0, 200)}...` : path} is not a valid URL: a percent sign must begin an escape of two hex digits (%25 for "%")`);
    reply.header('x-request-id', request.id);
    sendError(request, reply, toWireError(refusal), shapeFor(path));
  };
}
