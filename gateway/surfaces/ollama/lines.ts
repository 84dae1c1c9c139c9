/** What an Ollama line (or whole answer) tells its readers: its text, what else its model wrote, its counts. */
import type { Writing } from '../../wire/canonical';

/** The text of an Ollama line or answer (chat's message content, or generate's response). */
export function ollamaText(line: Record<string, unknown>): string {
  const message = line.message as { content?: unknown } | undefined;
  const text = message ? message.content : line.response;
  return typeof text === 'string' ? text : '';
}

/** What an Ollama line's model wrote, in order: its thinking, its text, and its tool calls (whole, in one line). */
export function ollamaWriting(line: Record<string, unknown>, to: Writing): void {
  const message = line.message as { thinking?: unknown; tool_calls?: unknown } | undefined;
  const thinking = message ? message.thinking : line.thinking;
  if (typeof thinking === 'string') to.thought(thinking);
  to.delivered(ollamaText(line));
  if (!Array.isArray(message?.tool_calls)) return;
  for (const call of message.tool_calls) {
    const fn = (call as { function?: { name?: unknown; arguments?: unknown } } | null)?.function;
    to.called(typeof fn?.name === 'string' ? fn.name : '', fn?.arguments === undefined ? '' : JSON.stringify(fn.arguments));
  }
}

/** The upstream's counts from Ollama's final object. */
export function ollamaTokens(line: Record<string, unknown>): { input: number; output: number } | undefined {
  if (line.done !== true || typeof line.prompt_eval_count !== 'number') return undefined;
  return { input: line.prompt_eval_count, output: typeof line.eval_count === 'number' ? line.eval_count : 0 };
}
