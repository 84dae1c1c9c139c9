/**
 * What both fake upstreams answer, so a test can predict the text whichever deployment served it:
 * a tool call when tools are offered, the tool's result once it is given, otherwise an echo of the
 * last user message (with a count of attached images).
 */
export interface FakeAnswer {
  content: string;
  toolCall?: { name: string; arguments: string };
}

export function replyFor(messages: any[], tools: any[] | undefined): FakeAnswer {
  const last = messages[messages.length - 1] ?? {};
  if (tools?.length && last.role !== 'tool') {
    return { content: '', toolCall: { name: tools[0].function.name, arguments: JSON.stringify({ city: 'Paris' }) } };
  }
  if (last.role === 'tool') return { content: `The tool said: ${textOf(last.content)}` };
  const images = Array.isArray(last.content) ? last.content.filter((p: any) => p.type === 'image_url').length : (last.images?.length ?? 0);
  return { content: `Echo: ${textOf(last.content)}${images ? ` [${images} image${images > 1 ? 's' : ''}]` : ''}` };
}

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.filter((p) => p.type === 'text').map((p) => p.text).join('');
  return '';
}

/** Words with their trailing space: joined back they give the text unchanged. */
export function wordsOf(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}
