/**
 * An answer as the usage log keeps it (`settings.usage.logBodies`): its text as the client got it,
 * and what else its model wrote, each under a heading. An agent's turn is mostly tool calls: an
 * answer kept as its text alone was kept as nothing. An answer of text alone is kept as that text.
 */
import { KeptText } from './kept-text';

type Part = 'text' | 'thinking' | 'tool';

export class AnswerTranscript {
  private readonly kept = new KeptText();
  private part: Part | undefined;

  get text(): string {
    return this.kept.text;
  }

  delivered(text: string): void {
    if (!text) return;
    if (this.part !== 'text') this.begin('text', this.part ? '[answer]\n' : '');
    this.kept.add(text);
  }

  thought(text: string): void {
    if (!text) return;
    if (this.part !== 'thinking') this.begin('thinking', '[thinking]\n');
    this.kept.add(text);
  }

  /** `name` where this part of a stream starts a call; then its input, whole or in pieces. */
  called(name: string | undefined, input: string): void {
    if (name) this.begin('tool', `[tool call: ${name}]\n`);
    else if (!input) return;
    else if (this.part !== 'tool') this.begin('tool', '[tool call]\n');
    this.kept.add(input);
  }

  private begin(part: Part, heading: string): void {
    this.kept.add(this.part ? `\n\n${heading}` : heading);
    this.part = part;
  }
}
