/**
 * What a client hears when Node cannot read its request at all: headers past Node's limit (431),
 * a request that did not arrive in time (408), or bytes that are not HTTP (400). Node answers these
 * before Fastify has a request, so no route or hook runs, and Fastify's own answer has `error` as a
 * string, which an OpenAI client cannot read. Here it is in the API's error shape, chosen as for a
 * path the router cannot read (unreadable-paths.ts) from the request line that came.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../errors';
import type { ErrorShape } from './model-surface';
import { toWireError } from './wire-errors';

export interface ClientErrorLimits {
  headersMs: number;
  requestMs: number;
}

export function clientErrorHandler(limits: ClientErrorLimits, shapeFor: (path: string) => ErrorShape) {
  return (error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void => {
    // A reset connection has no one to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const refusal =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new GatewayError('invalid_request', `The request did not arrive in time: its headers within ${limits.headersMs / 1000} s and the whole of it within ${limits.requestMs / 1000} s`, { status: 408, wireCode: 'request_timeout' })
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? new GatewayError('invalid_request', 'The request line and headers are larger than 16 KiB: a URL, cookie or header too long', { status: 431, wireCode: 'headers_too_large' })
          : new GatewayError('invalid_request', 'The request is not valid HTTP/1.1');
    const line = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.subarray(0, 512).toString('latin1') : '';
    const wire = toWireError(refusal);
    // No request was read: the shapes used here read only the error.
    const body = JSON.stringify(shapeFor(/^[A-Z]+ (\S+)/.exec(line)?.[1] ?? '')(wire, undefined as unknown as FastifyRequest));
    if (socket.writable) {
      socket.write(`HTTP/1.1 ${wire.status} ${STATUS_CODES[wire.status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy(error);
  };
}

/**
 * An `Expect:` other than `100-continue` is refused with 417, as Node does by itself, but with a body
 * that says which header to drop: Node's own 417 is empty, and no client shows why its call failed.
 */
export function expectationRefusal(shapeFor: (path: string) => ErrorShape) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const expected = String(request.headers.expect ?? '').slice(0, 100);
    const wire = toWireError(new GatewayError('invalid_request', `The Expect header "${expected}" cannot be met: only "100-continue" is understood. Send the request without it.`, { status: 417, wireCode: 'expectation_failed' }));
    const body = JSON.stringify(shapeFor(request.url ?? '')(wire, undefined as unknown as FastifyRequest));
    // The body the client may still send is not read: the connection ends with this answer.
    response.writeHead(wire.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
    response.end(body);
  };
}
