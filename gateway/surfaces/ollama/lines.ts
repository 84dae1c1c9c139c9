/** What an Ollama line (or whole answer) tells its readers: its text, what else its model wrote, its counts. */

/** The text of an Ollama line or answer (chat's message content, or generate's response). */
export function ollamaText(line: Record<string, unknown>): string {
  const message = line.message as { content?: unknown } | undefined;
  const text = message ? message.content : line.response;
  return typeof text === 'string' ? text : '';
}

/** What an Ollama line's model wrote besides its text: its thinking, and its tool calls (whole, in one line). */
export function ollamaWritten(line: Record<string, unknown>): string {
  const message = line.message as { thinking?: unknown; tool_calls?: unknown } | undefined;
  const thinking = message ? message.thinking : line.thinking;
  let text = typeof thinking === 'string' ? thinking : '';
  if (Array.isArray(message?.tool_calls)) for (const call of message.tool_calls) text += JSON.stringify((call as { function?: unknown } | null)?.function ?? '');
  return text;
}

/** The upstream's counts from Ollama's final object. */
export function ollamaTokens(line: Record<string, unknown>): { input: number; output: number } | undefined {
  if (line.done !== true || typeof line.prompt_eval_count !== 'number') return undefined;
  return { input: line.prompt_eval_count, output: typeof line.eval_count === 'number' ? line.eval_count : 0 };
}
