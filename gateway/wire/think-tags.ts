/**
 * Reasoning a server writes into the answer's text between `<think>` and `</think>` (MiniMax's API
 * unless asked otherwise, llama.cpp's server without a reasoning format, vLLM without a reasoning
 * parser, a model served raw), taken out as the reasoning other servers give apart. Claude Code,
 * Codex and chat clients showed it as the answer, and an agent read the answer's first words as
 * thinking. Only a block that opens the answer is reasoning: `<think>` later in the text is the text's.
 * Streamed, a tag may come cut across chunks: what may be the start of one is held (at most its
 * length) until the next chunk tells.
 */
const OPEN = '<think>';
const CLOSE = '</think>';
/**
 * What a stream's start is held to at most while it may still open a think block: a few newlines
 * come before one. Past this the answer opens otherwise, and nothing read twice grows with the
 * stream (a server sending whitespace a byte at a time is not read over and over).
 */
const MAX_HELD = 1024;

type Parts = { reasoning: string; content: string };

/** A whole answer's message with the reasoning its text opens with taken out (none taken where the server gave it apart). */
export function takeThinkingOut(message: { content?: string | null; reasoning_content?: string }): void {
  const split = !message.reasoning_content && typeof message.content === 'string' ? thinkingOutOfText(message.content) : undefined;
  if (!split) return;
  message.content = split.content;
  if (split.reasoning) message.reasoning_content = split.reasoning;
}

/** A whole answer's text split; none where the text opens otherwise. */
export function thinkingOutOfText(content: string): Parts | undefined {
  const at = content.search(/\S/);
  if (at < 0 || !content.startsWith(OPEN, at)) return undefined;
  const inside = content.slice(at + OPEN.length);
  const end = inside.indexOf(CLOSE);
  // Cut before its end (an answer limit reached while thinking): all of it is reasoning.
  if (end < 0) return { reasoning: inside.trimStart(), content: '' };
  return { reasoning: inside.slice(0, end).trimStart(), content: inside.slice(end + CLOSE.length).trimStart() };
}

/**
 * One stream's text as it comes: each piece split into reasoning and answer. `ending` (the chunk
 * with the finish reason) lets go of anything held.
 */
export function createThinkSplitter(): (text: string, ending: boolean) => Parts {
  let phase: 'start' | 'thinking' | 'answer' = 'start';
  let held = '';
  // Whitespace after an opening or closing tag is the tag's line, not the reasoning's or the answer's.
  let trimNext = false;
  const trimmed = (text: string) => {
    if (!trimNext) return text;
    const rest = text.trimStart();
    if (rest) trimNext = false;
    return rest;
  };

  return (text, ending) => {
    const out: Parts = { reasoning: '', content: '' };
    let rest = text;
    if (phase === 'start') {
      held += rest;
      rest = '';
      const lead = held.trimStart();
      if (lead.startsWith(OPEN)) {
        phase = 'thinking';
        trimNext = true;
        rest = lead.slice(OPEN.length);
        held = '';
      } else if (ending || held.length > MAX_HELD || !OPEN.startsWith(lead)) {
        phase = 'answer';
        out.content = held;
        held = '';
      } else {
        return out;
      }
    }
    if (phase === 'thinking') {
      const text = held + rest;
      held = '';
      rest = '';
      const end = text.indexOf(CLOSE);
      if (end >= 0) {
        out.reasoning = trimmed(text.slice(0, end));
        phase = 'answer';
        trimNext = true;
        rest = text.slice(end + CLOSE.length);
      } else {
        const keep = ending ? 0 : heldBack(text);
        out.reasoning = trimmed(text.slice(0, text.length - keep));
        held = text.slice(text.length - keep);
      }
    }
    if (phase === 'answer' && rest) out.content += trimmed(rest);
    return out;
  };
}

/** How much of the text's end may begin a closing tag (at most the tag's length less one). */
function heldBack(text: string): number {
  for (let n = Math.min(CLOSE.length - 1, text.length); n > 0; n--) {
    if (CLOSE.startsWith(text.slice(text.length - n))) return n;
  }
  return 0;
}
