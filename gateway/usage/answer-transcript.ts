/**
 * An answer as the usage log keeps it (`settings.usage.logBodies`): its text as the client got it,
 * and what else its model wrote, each part under a heading, in the order the parts began. An agent's
 * turn is mostly tool calls: an answer kept as its text alone was kept as nothing. An answer of text
 * alone is kept as that text.
 */

/** Characters kept in all (headings too); beyond it, nothing more is kept. */
const KEPT = 1024 * 1024;

type Kind = 'text' | 'thinking' | 'tool';
type Part = { kind: Kind; name?: string; text: string };

export class AnswerTranscript {
  private readonly parts: Part[] = [];
  /** Tool calls by the key their stream gives them: parallel calls' input may arrive interleaved. */
  private readonly calls = new Map<number, Part>();
  private size = 0;

  get text(): string {
    return this.parts.map((part, i) => (i === 0 && part.kind === 'text' ? part.text : `${heading(part)}\n${part.text}`)).join('\n\n');
  }

  delivered(text: string): void {
    if (text) this.add(this.last('text'), text);
  }

  thought(text: string): void {
    if (text) this.add(this.last('thinking'), text);
  }

  /**
   * A tool call: `key` is the call's place in its answer (a stream's index), and a piece without one
   * goes on the last call; `name` comes once (servers that repeat it with each piece name the call once).
   */
  called(name: string | undefined, input: string, key?: number): void {
    let call = key === undefined ? (name ? undefined : this.parts.at(-1)) : this.calls.get(key);
    if (call?.kind !== 'tool') {
      if (!name && !input) return;
      call = this.open('tool');
      if (call && key !== undefined) this.calls.set(key, call);
    }
    if (call && name && !call.name) {
      call.name = name;
      this.size += name.length;
    }
    this.add(call, input);
  }

  /** The last part, where it is of this kind; else a new one. */
  private last(kind: Kind): Part | undefined {
    const last = this.parts.at(-1);
    return last?.kind === kind ? last : this.open(kind);
  }

  private open(kind: Kind): Part | undefined {
    if (this.size >= KEPT) return undefined;
    const part: Part = { kind, text: '' };
    this.parts.push(part);
    // Its heading's room.
    this.size += 16;
    return part;
  }

  private add(part: Part | undefined, text: string): void {
    if (!part || !text || this.size >= KEPT) return;
    part.text += text;
    this.size += text.length;
  }
}

function heading(part: Part): string {
  if (part.kind === 'tool') return part.name ? `[tool call: ${part.name}]` : '[tool call]';
  return part.kind === 'thinking' ? '[thinking]' : '[answer]';
}
