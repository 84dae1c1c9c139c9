/**
 * Chat content parts beyond text and images, as each upstream API takes them: a `file` part (a PDF
 * or a text file sent whole, as the OpenAI SDK sends it) becomes an Anthropic document or a Responses
 * `input_file`. A part an upstream does not read sends the request on to a deployment that may,
 * rather than failing the route at its first deployment (routing/execute.ts passes over it).
 */
import type { DocumentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { GatewayError } from '../errors';

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

/** A file part as an Anthropic document: a PDF as itself, a text file as its text. */
export function anthropicDocument(part: FilePart, at: string): DocumentBlockParam {
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
