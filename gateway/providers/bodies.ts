/** Reading upstream bodies under the size cap (a runaway upstream must not fill memory), and dropping them safely. */
import { UpstreamError } from '../errors';

/** Collects a body, failing as soon as it passes the cap. */
export async function readCapped(body: AsyncIterable<Uint8Array>, cap: number, providerName: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > cap) throw tooLarge(providerName, cap);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

export function tooLarge(providerName: string, cap: number): UpstreamError {
  return new UpstreamError('upstream_protocol', `${providerName} sent a response over the ${Math.round(cap / 1024 / 1024)} MiB cap`);
}

/**
 * Drops a body we will not read. undici's body emits RequestAbortedError when destroyed unread;
 * with no listener that would crash the process, so one is attached first.
 */
export function discard(body: { on(event: 'error', listener: () => void): unknown; destroy(): unknown; destroyed?: boolean }): void {
  body.on('error', () => {});
  if (!body.destroyed) body.destroy();
}
