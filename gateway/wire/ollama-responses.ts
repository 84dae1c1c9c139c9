/**
 * A Responses request as an Ollama's own Responses API reads it (its `openai/responses.go`). It hands
 * a `developer` message to the model's template under that role, and Ollama's template code gathers
 * `system` messages alone (template.go's `collate`): the templates test for system, user, assistant
 * and tool, so a developer message was left out of the prompt, and Codex's permissions and
 * instructions, which it sends as developer messages every turn, reached the model as nothing.
 * Ollamas that know the role render it as a system message, and a translation sends it as one: so
 * it goes here, which every version renders.
 */
type Item = { type?: unknown; role?: unknown } | null;

const isDeveloper = (item: Item) => item?.role === 'developer' && (item.type === undefined || item.type === 'message');

/** The request itself where it has no developer message. */
export function forOllamaResponses<T extends Record<string, unknown>>(body: T): T {
  const input = body.input as Item[] | undefined;
  if (!Array.isArray(input) || !input.some(isDeveloper)) return body;
  return { ...body, input: input.map((item) => (isDeveloper(item) ? { ...item, role: 'system' } : item)) };
}
