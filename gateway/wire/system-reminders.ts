/**
 * System messages inside a Messages request's `messages` (Anthropic's mid-conversation system
 * messages), which Claude Code sends its reminders as from 2.1.154 on, put where every server takes
 * them: one before the conversation joins the top-level `system`; a later one joins the user turn
 * before it as `<system-reminder>` text, the form Claude Code sent them in before. Only Claude 4.8
 * on takes them in place (models/claude.ts); older Claude models, Ollama, LM Studio and vLLM refuse
 * the whole request for one, and chat templates of local models want one system message, first.
 */
type Block = Record<string, unknown> & { type?: unknown; text?: unknown };
type Message = Record<string, unknown> & { role?: unknown; content?: unknown };

const OPEN = '<system-reminder>';

/** The body with no `system` message in `messages`; the body itself when it has none. */
export function withoutInlineSystem<T extends object>(body: T): T {
  const { messages, system: top } = body as { messages?: unknown; system?: unknown };
  if (!Array.isArray(messages) || !messages.some((m: Message | null) => m?.role === 'system')) return body;
  const leading: Block[] = [];
  const out: Message[] = [];
  for (const message of messages as Message[]) {
    if (message?.role !== 'system') {
      out.push(message);
      continue;
    }
    const blocks = blocksOf(message.content);
    const before = out.at(-1);
    if (!before) leading.push(...blocks);
    else if (before.role === 'user') out[out.length - 1] = { ...before, content: [...blocksOf(before.content), ...blocks.map(asReminder)] };
    else out.push({ role: 'user', content: blocks.map(asReminder) });
  }
  const system = leading.length === 0 ? top : [...blocksOf(top), ...leading];
  return { ...body, messages: out, ...(system === undefined ? {} : { system }) };
}

function blocksOf(content: unknown): Block[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  return Array.isArray(content) ? (content as Block[]) : [];
}

/** A text block as Claude Code wrote its reminders into user turns (one it already wrapped stays as it is). */
function asReminder(block: Block): Block {
  if (block?.type !== 'text' || typeof block.text !== 'string' || block.text.trimStart().startsWith(OPEN)) return block;
  return { ...block, text: `${OPEN}\n${block.text}\n</system-reminder>` };
}
