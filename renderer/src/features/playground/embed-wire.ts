/**
 * The playground's embedding requests: texts (a line each) as a request to OpenAI's `/v1/embeddings`
 * or Ollama's `/api/embed`, the vectors back out of either answer, and how alike two of them are.
 */
export type EmbedApi = 'embeddings' | 'ollama-embed';

export const EMBED_API_LABELS: Record<EmbedApi, string> = { embeddings: 'OpenAI embeddings', 'ollama-embed': 'Ollama embed' };

/** A line is a text; blank lines are none (each API refuses an empty text, or answers it with nothing). */
export const textsOf = (typed: string): string[] => typed.split('\n').filter((line) => line.trim() !== '');

/** Both APIs take one text as a string and several as a list, under `input`. */
export function embedRequestFor(model: string, texts: string[]): Record<string, unknown> {
  return { model, input: texts.length === 1 ? texts[0] : texts };
}

/** The vectors in the order of the texts: OpenAI's list says each one's index, Ollama's is in order. */
export function vectorsOf(api: EmbedApi, answer: unknown): number[][] {
  if (api === 'ollama-embed') return (answer as { embeddings?: number[][] }).embeddings ?? [];
  const data = (answer as { data?: { index: number; embedding: number[] }[] }).data ?? [];
  return [...data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
}

/** Cosine similarity: 1 for the same direction, 0 for unrelated; null where the two cannot be compared. */
export function similarity(a: readonly number[], b: readonly number[]): number | null {
  if (a.length !== b.length || a.length === 0) return null;
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa === 0 || bb === 0 ? null : dot / Math.sqrt(aa * bb);
}
