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

/**
 * The body with no `system` message in `messages`; the body itself when it has none. A system
 * message may carry a per-turn directive instead of text (Claude Code's effort for the turns after
 * it, `{"role": "system", "content": [], "output_config": {"effort": "low"}}`, beta
 * `per-turn-control-2026-07-01`): the latest one's effort becomes the request's, which is the form
 * every other server and translation reads.
 */
export function withoutInlineSystem<T extends object>(body: T): T {
  const { messages, system: top, output_config: config } = body as { messages?: unknown; system?: unknown; output_config?: Record<string, unknown> | null };
  if (!Array.isArray(messages) || !messages.some((m: Message | null) => m?.role === 'system')) return body;
  const leading: Block[] = [];
  const out: Message[] = [];
  // Reminders gathered until the next turn, then put into the user turn before them at once.
  let pending: Block[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const before = out.at(-1);
    if (before?.role === 'user') out[out.length - 1] = { ...before, content: [...blocksOf(before.content), ...pending] };
    else out.push({ role: 'user', content: pending });
    pending = [];
  };
  let effort: unknown;
  for (const message of messages as Message[]) {
    if (message?.role === 'system') effort = (message.output_config as { effort?: unknown } | null | undefined)?.effort ?? effort;
    if (message?.role !== 'system') {
      flush();
      out.push(message);
    } else if (out.length === 0) {
      for (const block of blocksOf(message.content)) leading.push(block);
    } else {
      for (const block of blocksOf(message.content)) pending.push(asReminder(block));
    }
  }
  flush();
  const system = leading.length === 0 ? top : [...blocksOf(top), ...leading];
  return { ...body, messages: out, ...(system === undefined ? {} : { system }), ...(typeof effort === 'string' ? { output_config: { ...config, effort } } : {}) };
}

function blocksOf(content: unknown): Block[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  return Array.isArray(content) ? (content as Block[]) : [];
}

/** A text block as Claude Code wrote its reminders into user turns (one it already wrapped stays as it is). */
function asReminder(block: Block): Block {
  if (block?.type !== 'text' || typeof block.text !== 'string' || block.text.trimStart().startsWith(OPEN)) return block;
  return { ...block, text: reminder(block.text) };
}

const reminder = (text: string) => `${OPEN}\n${text}\n</system-reminder>`;

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
  // As above: reminders gathered until the next message, then put into the user message before them at once.
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = pending.join('\n');
    const before = out.at(-1);
    if (before?.role !== 'user') out.push({ role: 'user', content: text });
    else out[out.length - 1] = { ...before, content: typeof before.content === 'string' ? `${before.content}\n${text}` : [...before.content, { type: 'text', text }] };
    pending = [];
  };
  for (const message of conversation) {
    if (message.role === 'system' || message.role === 'developer') {
      pending.push(reminder(textOf(message.content)));
      continue;
    }
    flush();
    out.push(message);
  }
  flush();
  return out;
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}
