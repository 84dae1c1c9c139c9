/**
 * Request bodies sent compressed (`Content-Encoding: gzip`, `deflate`, `br`, and `zstd` where this
 * Node has it). Codex compresses its Responses requests when it talks to OpenAI signed in with
 * ChatGPT, and some gateways between pass bodies on as they came; read as JSON, such a body was
 * "not valid JSON" with a line of binary in the message.
 *
 * The body is read whole (at most the JSON parser's limit, compressed) and decoded by zlib on the
 * thread pool with its output capped at the same limit, so a small bomb is refused at 32 MiB and
 * nothing is left decompressing after the answer. Registered inside each model surface.
 */
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import fp from 'fastify-plugin';
import { GatewayError } from '../errors';
import { MAX_BODY_BYTES } from './json-body';

type Decode = (input: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>;

/** `unzip` reads both gzip and zlib-wrapped deflate, which is what HTTP's `deflate` means. */
const unzip: Decode = promisify(zlib.unzip);
const zstd = (zlib as { zstdDecompress?: typeof zlib.unzip }).zstdDecompress;
const DECODERS: Record<string, Decode> = {
  gzip: unzip,
  'x-gzip': unzip,
  deflate: unzip,
  br: promisify(zlib.brotliDecompress),
  ...(zstd ? { zstd: promisify(zstd) as Decode } : {}),
};

export const bodyEncodingPlugin = fp(
  async (app) => {
    app.addHook('preParsing', (request, _reply, payload, done) => {
      const header = request.headers['content-encoding'];
      if (header === undefined) return done(null, payload);
      const encoding = header.trim().toLowerCase();
      if (encoding === '' || encoding === 'identity') return done(null, payload);
      const decode = DECODERS[encoding];
      if (!decode) return done(new GatewayError('unsupported_media_type', notServed(header, encoding)));
      readAll(payload)
        .then(async (compressed) => {
          // No body (a GET that names an encoding anyway) is no body, not a broken one.
          if (compressed.length === 0) return done(null, Object.assign(Readable.from([]), { receivedEncodedLength: 0 }));
          const decoded = await decode(compressed, { maxOutputLength: MAX_BODY_BYTES }).catch((error: NodeJS.ErrnoException) => {
            if (error.code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(`decoded from ${encoding} it passes`);
            throw new GatewayError('invalid_request', `The request body could not be decoded as ${encoding}: ${error.message}`);
          });
          // Fastify compares the bytes that came with Content-Length, and the decoded ones with its limit.
          done(null, Object.assign(Readable.from([decoded]), { receivedEncodedLength: compressed.length }));
        })
        .catch((error: Error) => done(error));
    });
  },
  { name: 'switchyard-body-encoding' },
);

async function readAll(payload: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of payload) {
    length += (chunk as Buffer).length;
    if (length > MAX_BODY_BYTES) throw tooLarge('it passes');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, length);
}

function notServed(header: string, encoding: string): string {
  const known = Object.keys(DECODERS).filter((name) => name !== 'x-gzip').join(', ');
  if (encoding !== 'zstd') return `The request body's Content-Encoding "${header}" is not supported here: send it uncompressed, or as one of ${known}`;
  // Codex compresses with zstd for its built-in OpenAI provider when signed in with ChatGPT, never
  // for a provider of its own (what `connect codex` writes); its user cannot turn it off per request.
  return (
    `The request body's Content-Encoding "zstd" needs Node 22.15 or later, and this gateway runs on Node ${process.version}: ` +
    `run it on a newer Node (the desktop app has one), or send the body uncompressed or as one of ${known}. ` +
    'Codex compresses only for its built-in OpenAI provider signed in with ChatGPT: `switchyard connect codex` points it here as a provider of its own, ' +
    'or set `enable_request_compression = false` under `[features]` in ~/.codex/config.toml'
  );
}

const tooLarge = (how: string) => new GatewayError('body_too_large', `Request body is too large: ${how} the limit of ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
