/**
 * An image's size read from its own bytes, on images a real encoder made (Chromium's canvas: PNG,
 * JPEG, WebP in its three layouts; a GIF), and what it counts toward a request's size.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageSize, imageTokens, UNKNOWN_IMAGE_TOKENS } from '../../gateway/usage/image-size';
import { promptOf, quickPromptTokens } from '../../gateway/usage/tokens';

const base64 = (name: string) => readFileSync(join(__dirname, '../fixtures/images', name)).toString('base64');
const SIZES: [string, string, number, number][] = [
  ['screenshot-1280x720.png', 'image/png', 1280, 720],
  ['icon-64x64.png', 'image/png', 64, 64],
  // 40 KB of Exif, then JFIF and an ICC profile, before the frame header.
  ['photo-exif-1280x720.jpg', 'image/jpeg', 1280, 720],
  ['lossy-800x600.webp', 'image/webp', 800, 600],
  ['lossless-300x200.webp', 'image/webp', 300, 200],
  ['extended-640x480.webp', 'image/webp', 640, 480],
  ['poster-3000x2000.webp', 'image/webp', 3000, 2000],
  ['python-logo.gif', 'image/gif', 16, 16],
];

describe('an image size', () => {
  it.each(SIZES)('is read from %s, bare and as a data URL', (name, type, width, height) => {
    expect(imageSize(base64(name))).toEqual({ width, height });
    expect(imageSize(`data:${type};base64,${base64(name)}`)).toEqual({ width, height });
  });

  it('counts about what a model reads: a screenshot some 1,200 tokens, an icon the least any image is, a poster no more than Claude scales it to', () => {
    expect(imageTokens(base64('screenshot-1280x720.png'))).toBe(1229);
    expect(imageTokens(base64('lossy-800x600.webp'))).toBe(640);
    expect(imageTokens(base64('icon-64x64.png'))).toBe(85);
    expect(imageTokens(base64('poster-3000x2000.webp'))).toBe(1600);
  });

  it('is unknown, never an error, for a URL, a file, text, a cut-off header or random bytes', () => {
    const jpeg = base64('photo-exif-1280x720.jpg');
    for (const value of ['https://example.com/cat.png', 'data:image/png,rawbytes', 'file-abc123', '', 'aGVsbG8gd29ybGQ=', jpeg.slice(0, 30_000), base64('screenshot-1280x720.png').slice(0, 20), 42, null]) {
      expect(imageTokens(value)).toBe(UNKNOWN_IMAGE_TOKENS);
    }
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 2_000; i++) {
      const bytes = Buffer.from(Array.from({ length: 64 + (random() % 512) }, () => random() & 0xff));
      // Every other one starts as a JPEG would, so its segments are stepped through.
      if (i % 2 === 0) bytes.set([0xff, 0xd8, 0xff, 0xe1]);
      expect(imageTokens(bytes.toString('base64'))).toBeGreaterThan(0);
    }
  });

  it("is read in every API's image parts, and at low detail is OpenAI's 85 tokens", () => {
    const png = base64('icon-64x64.png');
    const shot = base64('screenshot-1280x720.png');
    const tokens = (body: unknown) => promptOf(body).countedTokens;
    expect(tokens({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${shot}` } }] }] })).toBe(1229);
    expect(tokens({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${shot}`, detail: 'low' } }] }] })).toBe(85);
    expect(tokens({ input: [{ role: 'user', content: [{ type: 'input_image', image_url: `data:image/png;base64,${shot}` }, { type: 'input_image', file_id: 'file-1' }] }] })).toBe(1229 + UNKNOWN_IMAGE_TOKENS);
    expect(tokens({ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: shot } }, { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }] }] })).toBe(1229 + UNKNOWN_IMAGE_TOKENS);
    expect(tokens({ messages: [{ role: 'user', content: 'what are these?', images: [png, png, shot] }] })).toBe(85 + 85 + 1229);
    // /api/generate's images, beside its prompt ('describe' is two tokens).
    expect(quickPromptTokens(promptOf({ prompt: 'describe', images: [png] }))).toBe(2 + 85);
  });
});
