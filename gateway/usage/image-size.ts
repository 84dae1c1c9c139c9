/**
 * What an image counts toward a request's size, read from its own bytes where it is sent inline
 * (a data URL, a Messages block's base64, Ollama's `images`): its width and height from the PNG,
 * GIF, WebP or JPEG header, and from them about what a model reads it as. A 1280x720 screenshot is
 * some 1,200 tokens and an icon 85, where a flat 1,000 for both sent a request with a dozen small
 * images past a local model that had room for them. Only the bytes each header needs are
 * decoded (a JPEG's segments are stepped over by their lengths, a bounded number of them), so the
 * cost does not grow with the image.
 */

/** An image whose size cannot be read (a URL, a file id, an unknown format). */
export const UNKNOWN_IMAGE_TOKENS = 1_000;
/**
 * Tokens for an image of this many pixels: Claude's reading (width times height over 750, after it
 * scales the image to about 1.15 megapixels, so at most about 1,600), which lies between GPT-4.1's
 * tiles (765 for a 1024-pixel square) and Qwen2.5-VL's 28-pixel patches (1,337 for the same).
 */
const PIXELS_PER_TOKEN = 750;
const MAX_IMAGE_TOKENS = 1_600;
/** What the smallest image is read as: OpenAI's base cost for any image, and all of one at low detail. */
export const LOW_DETAIL_TOKENS = 85;
/** JPEG segments stepped over before its frame header is given up on (EXIF, ICC profiles, thumbnails come first). */
const MAX_JPEG_SEGMENTS = 64;

export function imageTokens(base64OrDataUrl: unknown): number {
  if (typeof base64OrDataUrl !== 'string') return UNKNOWN_IMAGE_TOKENS;
  const size = imageSize(base64OrDataUrl);
  if (!size) return UNKNOWN_IMAGE_TOKENS;
  return Math.min(MAX_IMAGE_TOKENS, Math.max(LOW_DETAIL_TOKENS, Math.ceil((size.width * size.height) / PIXELS_PER_TOKEN)));
}

/** Width and height in pixels of a base64 image (bare, or as a data URL), or undefined. */
export function imageSize(base64OrDataUrl: string): { width: number; height: number } | undefined {
  const data = inlineData(base64OrDataUrl);
  if (data === undefined) return undefined;
  const read = (offset: number, length: number) => bytesAt(data, offset, length);
  const head = read(0, 30);
  if (!head || head.length < 24) return undefined;
  const size =
    isPng(head) ? { width: head.readUInt32BE(16), height: head.readUInt32BE(20) }
    : isGif(head) ? { width: head.readUInt16LE(6), height: head.readUInt16LE(8) }
    : isWebp(head) ? webpSize(head)
    : head[0] === 0xff && head[1] === 0xd8 ? jpegSize(read)
    : undefined;
  return size && size.width > 0 && size.height > 0 ? size : undefined;
}

/** The base64 of an inline image: after a data URL's comma, or the string itself; undefined for a URL. */
function inlineData(value: string): string | undefined {
  if (value.startsWith('data:')) {
    const comma = value.indexOf(',');
    return comma > 0 && value.slice(0, comma).endsWith(';base64') ? value.slice(comma + 1) : undefined;
  }
  return /^[a-z][a-z0-9+.-]*:/i.test(value.slice(0, 16)) ? undefined : value;
}

/** `length` bytes from byte `offset` of base64 text, decoding only the characters that hold them. */
function bytesAt(base64: string, offset: number, length: number): Buffer | undefined {
  const first = Math.floor(offset / 3) * 4;
  if (first >= base64.length) return undefined;
  const chars = base64.slice(first, Math.ceil((offset + length) / 3) * 4 + 4);
  const bytes = Buffer.from(chars, 'base64');
  return bytes.subarray(offset % 3, (offset % 3) + length);
}

const isPng = (b: Buffer) => b[0] === 0x89 && b.toString('latin1', 1, 4) === 'PNG' && b.toString('latin1', 12, 16) === 'IHDR';
const isGif = (b: Buffer) => b.toString('latin1', 0, 4) === 'GIF8';
const isWebp = (b: Buffer) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP';

function webpSize(b: Buffer): { width: number; height: number } | undefined {
  if (b.length < 30) return undefined;
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8 ') return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  return undefined;
}

/** A JPEG's size from its first frame header (SOF0 to SOF15 but DHT, JPG and DAC). */
function jpegSize(read: (offset: number, length: number) => Buffer | undefined): { width: number; height: number } | undefined {
  let at = 2;
  for (let segment = 0; segment < MAX_JPEG_SEGMENTS; segment++) {
    const marker = read(at, 9);
    if (!marker || marker.length < 4 || marker[0] !== 0xff) return undefined;
    const type = marker[1] as number;
    // Fill bytes before a marker.
    if (type === 0xff) {
      at += 1;
      continue;
    }
    if (type >= 0xc0 && type <= 0xcf && type !== 0xc4 && type !== 0xc8 && type !== 0xcc) {
      return marker.length < 9 ? undefined : { width: marker.readUInt16BE(7), height: marker.readUInt16BE(5) };
    }
    at += 2 + marker.readUInt16BE(2);
  }
  return undefined;
}
