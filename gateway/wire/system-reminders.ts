/**
 * System messages inside a conversation put where every server takes them. A Messages request's
 * (Anthropic's mid-conversation system messages, which Claude Code sends its reminders as from
 * 2.1.154 on): one before the conversation joins the top-level `system`; a later one joins the user turn
 * before it as `<system-reminder>` text, the form Claude Code sent them in before. Only Claude 4.8
 * on takes them in place (models/claude.ts); older Claude models, Ollama, LM Studio and vLLM refuse
 * the whole request for one, and chat templates of local models want one system message, first.
 */
import type { ChatRequest } from './canonical';

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

type ChatMessage = ChatRequest['messages'][number];

/**
 * The same for a chat request's messages (a Responses request's instructions and developer
 * messages, translated): the system messages before the conversation become one, first (vLLM's
 * templates refuse a second: "System message must be at the beginning"), and a later one joins the
 * user message before it as a reminder.
 */
export function withOneLeadingSystem(messages: ChatMessage[]): ChatMessage[] {
  const first = messages.findIndex((m) => m.role !== 'system' && m.role !== 'developer');
  const conversation = first < 0 ? [] : messages.slice(first);
  if (first <= 1 && !conversation.some((m) => m.role === 'system' || m.role === 'developer')) return messages;
  const leading = (first < 0 ? messages : messages.slice(0, first)).map((m) => textOf(m.content)).filter(Boolean);
  const out: ChatMessage[] = leading.length > 0 ? [{ role: 'system', content: leading.join('\n\n') }] : [];
  for (const message of conversation) {
    if (message.role !== 'system' && message.role !== 'developer') {
      out.push(message);
      continue;
    }
    const reminder = `${OPEN}\n${textOf(message.content)}\n</system-reminder>`;
    const before = out.at(-1);
    if (before?.role !== 'user') out.push({ role: 'user', content: reminder });
    else out[out.length - 1] = { ...before, content: typeof before.content === 'string' ? `${before.content}\n${reminder}` : [...before.content, { type: 'text', text: reminder }] };
  }
  return out;
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}
