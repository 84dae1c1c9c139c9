/**
 * What a client hears when Node cannot read its request at all: headers past Node's limit (431),
 * a request that did not arrive in time (408), or bytes that are not HTTP (400). Node answers these
 * before Fastify has a request, so no route or hook runs, and Fastify's own answer has `error` as a
 * string, which an OpenAI client cannot read. Here it is an OpenAI error body, or Ollama's where the
 * request line that came names an /api/ path.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

export interface ClientErrorLimits {
  headersMs: number;
  requestMs: number;
}

export function clientErrorHandler(limits: ClientErrorLimits) {
  return (error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void => {
    // A reset connection has no one to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, code, message] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', `The request did not arrive in time: its headers within ${limits.headersMs / 1000} s and the whole of it within ${limits.requestMs / 1000} s`]
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'headers_too_large', 'The request line and headers are larger than 16 KiB: a URL, cookie or header too long']
          : [400, 'invalid_request', 'The request is not valid HTTP/1.1'];
    const line = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.subarray(0, 512).toString('latin1') : '';
    const ollama = /^[A-Z]+ \/api\//.test(line);
    const body = JSON.stringify(ollama ? { error: message } : { error: { message, type: 'invalid_request_error', param: null, code } });
    if (socket.writable) {
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy(error);
  };
}
