/**
 * A message one Codex agent sends another (its multi-agent sessions, from 0.145): an `agent_message`
 * input item in the child's request, `{type: "agent_message", author: "/root", recipient:
 * "/root/list_files", content: [...]}`. Its `input_text` is the envelope ("Message Type: NEW_TASK",
 * the task's name, the sender, "Payload:"), and the task itself comes in an `encrypted_content` part:
 * OpenAI's servers encrypt what their model passes a sub-agent, but a task another model wrote (a
 * chat model behind this gateway, whose calls Codex cannot encrypt) comes in it as plain text. To a
 * chat model the item is a user message of both, in order, as Ollama's own Responses API came to
 * read it (ollama#18286); a task still encrypted only OpenAI's Responses API can read.
 */
import { GatewayError } from '../../errors';

type Part = { type?: unknown; text?: unknown; encrypted_content?: unknown } | null;

/**
 * What OpenAI's servers encrypt is a Fernet token, base64url, from its version byte (0x80, so
 * "gAAAAA") on: at least 73 bytes, about 100 characters. A task in plain text has spaces, or is short.
 */
const FERNET = /^gAAAAA[\w-]{90,}={0,2}$/;

/** The text an agent message gives a chat model: its parts in order, a line apart where they do not already end one. */
export function agentMessageText(content: unknown, at: string): string {
  const parts = typeof content === 'string' ? [content] : Array.isArray(content) ? (content as Part[]).map((part, j) => partText(part, `${at}.content[${j}]`)) : [];
  return parts.reduce((text, part) => (text === '' || /\s$/.test(text) ? text + part : `${text}\n${part}`), '');
}

function partText(part: Part, at: string): string {
  if (part?.type === 'encrypted_content') {
    const value = typeof part.encrypted_content === 'string' ? part.encrypted_content : '';
    if (FERNET.test(value)) {
      throw new GatewayError('needs_native_api', `${at} is a task another agent sent encrypted for OpenAI's servers: only a deployment that speaks the Responses API can read it`, { param: at });
    }
    return value;
  }
  return typeof part?.text === 'string' ? part.text : '';
}
