/**
 * The JSON body parser. JSON.parse itself survives deep nesting, but everything after it that
 * walks the value (validation, translation) recurses: a 5,000-level body must be refused before it
 * is parsed. A linear scan of the text finds the depth in microseconds for ordinary bodies.
 * `__proto__` and `constructor.prototype` keys are refused, as Fastify's own parser does (with the
 * same library): merged into an object they would reach its prototype.
 */
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { GatewayError } from '../errors';

const MAX_JSON_DEPTH = 100;
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export function registerJsonBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const options = { parseAs: 'string', bodyLimit: MAX_BODY_BYTES } as const;
  const parse = (_request: unknown, body: string | Buffer, done: (error: Error | null, value?: unknown) => void) => {
    try {
      // An empty body that says it is JSON (HTTP helpers set the header on every call) is no body: a
      // route that needs one says so in its schema's words (wire-errors.ts), one that takes none is served.
      const text = body as string;
      done(null, text.trim() === '' ? undefined : parseJson(text));
    } catch (error) {
      done(error as Error, undefined);
    }
  };
  // Named, JSON's parser is found from the header as sent, remembered; the catch-all alone made Fastify
  // parse the header afresh on every request (about 0.5 us), since what falls to it is not remembered.
  app.addContentTypeParser('application/json', options, parse);
  // Any other content type is read as JSON too: `curl -d` sends form encoding by default.
  app.addContentTypeParser('*', options, parse);
}

function parseJson(text: string): unknown {
  const depth = nestingDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw new GatewayError('body_too_deep', `The request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new GatewayError('invalid_request', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  // The scan runs only when the text could hold such a key: a few microseconds saved on every request.
  if (value !== null && typeof value === 'object' && (text.includes('__proto__') || text.includes('constructor'))) {
    try {
      secureJson.scan(value as Record<string, unknown>, { protoAction: 'error', constructorAction: 'error' });
    } catch {
      throw new GatewayError('invalid_request', 'The request body has a "__proto__" or "constructor.prototype" key, which is refused');
    }
  }
  return value;
}

/**
 * Deepest bracket nesting outside strings; stops counting once past the limit. A string is skipped
 * to its closing quote by `indexOf` (several times faster than a loop over its characters: most of a
 * large body is a few long strings, a prompt or an image's base64); one with an escape in it is
 * walked from there, a character at a time, so text dense with escapes costs what the loop always did.
 * `slash` is the next backslash at or after the scan, found again only once the scan passes it, so
 * the search for it is linear over the whole body.
 */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let slash = text.indexOf('\\');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      if (slash !== -1 && slash <= i) slash = text.indexOf('\\', i + 1);
      let end = text.indexOf('"', i + 1);
      if (slash !== -1 && end > slash) {
        for (end = slash; end < text.length; end++) {
          const d = text.charCodeAt(end);
          if (d === 92 /* \ */) end++;
          else if (d === 34) break;
        }
      }
      // Unterminated: JSON.parse says so.
      if (end === -1 || end >= text.length) return max;
      i = end;
    } else if (c === 123 || c === 91 /* { [ */) {
      if (++depth > max) {
        max = depth;
        if (max > MAX_JSON_DEPTH) return max;
      }
    } else if (c === 125 || c === 93 /* } ] */) depth--;
  }
  return max;
}
