/**
 * What every fake upstream answers, so a test can predict the text whichever deployment served it:
 * a tool call when tools are offered (a call to each of the first two, in parallel, when the prompt
 * says "both"), the tool's result once it is given, otherwise an echo of the last user message
 * (with a count of attached images). A request that asks for reasoning also gets some.
 */
export interface FakeToolCall {
  name: string;
  arguments: string;
}

export interface FakeAnswer {
  content: string;
  toolCalls: FakeToolCall[];
  reasoning?: string;
}

/** The names of the tools a request offers, in whatever API's shape. */
function toolNames(tools: any[] | undefined): string[] {
  return (tools ?? []).map((t) => t.function?.name ?? t.name).filter((n): n is string => typeof n === 'string');
}

export function replyFor(messages: any[], tools: any[] | undefined, options: { reasoning?: boolean } = {}): FakeAnswer {
  const last = messages[messages.length - 1] ?? {};
  const names = toolNames(tools);
  const reasoning = options.reasoning ? { reasoning: 'Let me think about it.' } : {};
  if (names.length > 0 && !isToolResult(last)) {
    const both = names.length > 1 && /\bboth\b/.test(textOf(last.content));
    const calls = (both ? names.slice(0, 2) : names.slice(0, 1)).map((name, i) => ({ name, arguments: JSON.stringify({ city: i === 0 ? 'Paris' : 'Tokyo' }) }));
    // "say first": a line before the calls, as models narrate what they are about to do (where the wire lets them).
    return { content: /\bsay first\b/.test(textOf(last.content)) ? 'Let me look that up.' : '', toolCalls: calls, ...reasoning };
  }
  if (isToolResult(last)) return { content: `The tool said: ${toolResultText(last)}`, toolCalls: [], ...reasoning };
  const images = Array.isArray(last.content) ? last.content.filter((p: any) => p.type === 'image_url' || p.type === 'image' || p.type === 'input_image').length : (last.images?.length ?? 0);
  const echo = `Echo: ${textOf(last.content)}${images ? ` [${images} image${images > 1 ? 's' : ''}]` : ''}`;
  // "think aloud": the reasoning written into the text, as a model served raw writes it (no server parses it out).
  return { content: /\bthink aloud\b/.test(textOf(last.content)) ? `<think>\nLet me think about it.\n</think>\n\n${echo}` : echo, toolCalls: [], ...reasoning };
}

/** A tool's result, in chat (`role: tool`), Messages (`tool_result` blocks) or Responses (`function_call_output`) form. */
function isToolResult(message: any): boolean {
  return message.role === 'tool' || message.type === 'function_call_output' || (Array.isArray(message.content) && message.content.some((b: any) => b.type === 'tool_result'));
}

function toolResultText(message: any): string {
  if (message.type === 'function_call_output') return String(message.output);
  if (Array.isArray(message.content)) {
    const result = message.content.find((b: any) => b.type === 'tool_result');
    if (result) return typeof result.content === 'string' ? result.content : textOf(result.content);
  }
  return textOf(message.content);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  // A part that is no object (null, a number) is not text; the fake must not crash on what a client sends.
  if (Array.isArray(content)) return content.filter((p) => p?.type === 'text' || p?.type === 'input_text' || p?.type === 'output_text').map((p) => p.text).join('');
  return '';
}

/** Words with their trailing space: joined back they give the text unchanged. */
export function wordsOf(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

/**
 * A token's log probability as the fakes report it, with `top` alternatives (the token itself
 * first): fixed for a token, so a test can tell the upstream's figures came through unchanged.
 */
export function fakeLogprob(token: string, top: number) {
  const entry = (text: string, logprob: number) => ({ token: text, logprob, bytes: [...Buffer.from(text, 'utf8')] });
  const chosen = entry(token, -token.length / 8);
  return { ...chosen, alternatives: Array.from({ length: top }, (_, i) => (i === 0 ? chosen : entry(`${token.trim()}~${i}`, chosen.logprob - i))) };
}

/** An answer's text as a server gives it with stop sequences: up to the first one, which it names. */
export function cutAtStop(text: string, stops: unknown): { text: string; stop?: string } {
  const list = (Array.isArray(stops) ? stops : typeof stops === 'string' ? [stops] : []).filter((s): s is string => typeof s === 'string' && s !== '');
  let at = -1;
  let stop: string | undefined;
  for (const s of list) {
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) [at, stop] = [i, s];
  }
  return at < 0 ? { text } : { text: text.slice(0, at), stop };
}
