/**
 * Chat content parts as an upstream API takes them: a user turn's parts as Anthropic's blocks, and a
 * `file` part (a PDF or a text file sent whole, as the OpenAI SDK sends it) as an Anthropic document
 * or a Responses `input_file`. A part an upstream does not read sends the request on to a deployment that may,
 * rather than failing the route at its first deployment (routing/execute.ts passes over it).
 */
import type { ContentBlockParam, DocumentBlockParam, ImageBlockParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { GatewayError } from '../errors';
import { imageUrlOf } from './canonical';

export interface FilePart {
  type: 'file';
  file?: { file_data?: unknown; file_id?: unknown; filename?: unknown };
}

/** A file sent whole: its media type (from its data URL, else its name) and base64 data. */
interface InlineFile {
  mediaType: string;
  data: string;
  filename: string | undefined;
}

const BY_EXTENSION: Record<string, string> = { pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', json: 'application/json' };

function inlineFile(part: FilePart): InlineFile | undefined {
  const data = part.file?.file_data;
  const filename = typeof part.file?.filename === 'string' ? part.file.filename : undefined;
  if (typeof data !== 'string' || data === '') return undefined;
  const url = /^data:([\w.+-]{1,100}\/[\w.+-]{1,100})(?:;[^,;]{0,100})*;base64,/.exec(data.slice(0, 300));
  if (url?.[1]) return { mediaType: url[1].toLowerCase(), data: data.slice(url[0].length), filename };
  const extension = filename?.split('.').pop()?.toLowerCase();
  return { mediaType: (extension && BY_EXTENSION[extension]) ?? 'application/octet-stream', data, filename };
}

/** The refusal that moves a request on from a deployment that does not read one of its parts. */
export function unreadPart(type: string, at: string, who: string): GatewayError {
  return new GatewayError('needs_native_api', `${at} is a "${type}" part, which ${who} deployments do not read: it can only go to a deployment that does`, { param: `${at}.type` });
}

/**
 * The same refusal for the answer's side: a request that asks to be answered in audio (`modalities`
 * with "audio", as OpenAI's audio models take it) would get text alone from a translation.
 */
export function refuseAudioAnswer(request: { modalities?: readonly string[] | null }, who: string): void {
  if (!Array.isArray(request.modalities) || !request.modalities.includes('audio')) return;
  throw new GatewayError('needs_native_api', `modalities asks for an answer in audio, which ${who} deployments do not give: it can only go to a deployment that does`, { param: 'modalities' });
}

/** A file part as an Anthropic document: a PDF as itself, a text file as its text. */
function anthropicDocument(part: FilePart, at: string): DocumentBlockParam {
  const file = inlineFile(part);
  const title = file?.filename ? { title: file.filename } : {};
  if (file?.mediaType === 'application/pdf') return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: file.data }, ...title };
  if (file && (file.mediaType.startsWith('text/') || file.mediaType === 'application/json')) {
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: Buffer.from(file.data, 'base64').toString('utf8') }, ...title };
  }
  // An OpenAI file id, or a kind of file Anthropic does not read.
  throw unreadPart('file', at, 'Anthropic');
}

/** A file part as a Responses `input_file`, whole or by OpenAI's file id. */
export function responsesInputFile(part: FilePart, at: string): Record<string, unknown> {
  const file = inlineFile(part);
  if (file) return { type: 'input_file', file_data: `data:${file.mediaType};base64,${file.data}`, ...(file.filename ? { filename: file.filename } : {}) };
  if (typeof part.file?.file_id === 'string') return { type: 'input_file', file_id: part.file.file_id };
  throw new GatewayError('invalid_request', `${at}.file must hold file_data or file_id`, { param: `${at}.file` });
}

/** A user turn's content as Anthropic's blocks: text, images (base64 or by URL), files as documents. */
export function anthropicUserBlocks(content: unknown, index: number): ContentBlockParam[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  // Anthropic refuses an empty text block ("text content blocks must be non-empty"); chat servers take one.
  return content.flatMap((part: { type: string; text?: string; image_url?: unknown }, j): ContentBlockParam[] => {
    if (part.type === 'text') return part.text ? [{ type: 'text', text: part.text } satisfies TextBlockParam] : [];
    if (part.type === 'image_url') return [image(imageUrlOf(part, `messages[${index}].content[${j}]`), `messages[${index}].content[${j}].image_url.url`)];
    if (part.type === 'file') return [anthropicDocument(part as FilePart, `messages[${index}].content[${j}]`)];
    throw unreadPart(part.type, `messages[${index}].content[${j}]`, 'Anthropic');
  });
}

function image(url: string, param: string): ImageBlockParam {
  const data = /^data:(image\/(?:jpeg|png|gif|webp));base64,(.*)$/s.exec(url);
  if (data?.[1] && data[2]) return { type: 'image', source: { type: 'base64', media_type: data[1] as 'image/png', data: data[2] } };
  if (/^https?:\/\//.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw new GatewayError('invalid_request', 'Anthropic deployments take images as base64 data: URLs (jpeg, png, gif, webp) or http(s) URLs', { param });
}
