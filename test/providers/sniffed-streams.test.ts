/**
 * A stream under another label is told by its first bytes, however they are cut: a byte at a time,
 * after blank lines, and no further than 4 KiB in; whatever was read to tell goes out first, whole.
 */
import { describe, expect, it } from 'vitest';
import { sniffed } from '../../gateway/providers/upstream-streams';

const bytesOf = (text: string, size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => new TextEncoder().encode(text.slice(i * size, (i + 1) * size)));

async function read(text: string, size: number, contentType = 'text/plain') {
  let ended = 0;
  const chunks = bytesOf(text, size);
  const stream = await sniffed({ providerName: 'relay', status: 200, headers: {}, contentType, body: (async function* () { yield* chunks; })(), end: () => void ended++ });
  let body = '';
  const decoder = new TextDecoder();
  for await (const chunk of stream.body) body += decoder.decode(chunk, { stream: true });
  return { contentType: stream.contentType, body, ended };
}

describe('a stream told by its first bytes', () => {
  const events = `\n \n\r\n  data: {"id":"c1","choices":[]}\n\ndata: [DONE]\n\n`;

  it('is an event stream when its first bytes are one, sent a byte at a time after blank lines, and passes on whole', async () => {
    for (const size of [1, 3, 1_000]) expect(await read(events, size)).toEqual({ contentType: 'text/event-stream', body: events, ended: 0 });
  });

  it('keeps its label when 4 KiB of blank space tell nothing, and passes on whole', async () => {
    const padded = `${' '.repeat(5_000)}data: {}\n\n`;
    expect(await read(padded, 1)).toEqual({ contentType: 'text/plain', body: padded, ended: 0 });
    expect(await read('{"id":"c1"}', 1, 'application/json')).toMatchObject({ contentType: 'application/json', body: '{"id":"c1"}' });
  });
});
