/**
 * Whether an Ollama's own Responses API reads a request whole (its `openai/responses.go`): function
 * tools, and four kinds of item (messages, function calls, their outputs, reasoning) of text and
 * images by URL. It fails a request holding any other item or content part as it decodes it (Codex's
 * freeform `apply_patch` calls and their outputs, `additional_tools`, a file); makes a custom, hosted
 * or namespace tool a function of no parameters; skips an image by file_id without a word; and has
 * no `tool_choice`. A request it does not read whole goes to its chat API translated (codec.ts),
 * which opens namespaces, makes custom tools functions of one string, keeps the choice, and passes
 * the deployment over for what no chat API reads.
 */

/** What of a request this reads (codec.ts's `ResponsesBody` and `Item` have these). */
type Asked = { tools?: readonly ({ type?: string } | null)[]; tool_choice?: string | { type: string } };
type Item = { type?: string; role?: string; content?: unknown; output?: unknown };

const ITEMS: ReadonlySet<unknown> = new Set(['message', 'function_call', 'function_call_output', 'reasoning']);
const PARTS: ReadonlySet<unknown> = new Set(['input_text', 'output_text', 'input_image']);

/** `items`: the whole conversation as the upstream would get it (earlier turns of `previous_response_id` inline). */
export function ollamaReadsWhole(body: Asked, items: readonly Item[]): boolean {
  return (body.tools ?? []).every((tool) => tool?.type === 'function') && !narrowsTools(body) && items.every(readsItem);
}

function readsItem(item: Item | null): boolean {
  // An item without a type but with a role is a message, as the API's shorthand has it.
  const type = item?.type || (item?.role ? 'message' : undefined);
  if (!ITEMS.has(type)) return false;
  const parts = type === 'message' ? item?.content : type === 'function_call_output' ? item?.output : undefined;
  return !Array.isArray(parts) || parts.every((part: { type?: unknown; image_url?: unknown } | null) => PARTS.has(part?.type) && (part?.type !== 'input_image' || typeof part.image_url === 'string'));
}

/** A `tool_choice` that offers the model fewer tools than the request lists (`required` offers them all). */
function narrowsTools(body: Asked): boolean {
  const choice = body.tool_choice;
  if ((body.tools?.length ?? 0) === 0 || choice == null) return false;
  return choice === 'none' || (typeof choice === 'object' && (choice.type === 'function' || choice.type === 'custom' || choice.type === 'allowed_tools'));
}
