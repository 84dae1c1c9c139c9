/**
 * What the router may know about a request without knowing its wire format: the surface reads
 * these from the body (http/traits.ts), the router filters and picks routes by them.
 */
export interface RequestTraits {
  /**
   * The body's size in bytes. A token is at least a byte, so a body that fits a window in bytes fits
   * it in tokens; but for its images, counted by their pixels whatever their bytes (a URL's).
   */
  bodyBytes: number;
  /** Tokens the answer may take (max_tokens and its kin); 0 when the request does not say. */
  maxTokens: number;
  /** The prompt's tokens, estimated on first call in time linear in its length. */
  promptTokens(): number;
  tools: boolean;
  /** Any image in it, looked for on first call. */
  images(): boolean;
  /** The request asks the model to reason. */
  thinking: boolean;
  /** The request asks to fill in a gap (a `suffix` after its prompt: editors' autocomplete). */
  fillInMiddle: boolean;
  /**
   * The window the request asks an Ollama to run its model with (Ollama's own API: `options.num_ctx`),
   * if it names one: an Ollama deployment runs it with the larger of this and its own.
   */
  numCtx: number | undefined;
  /**
   * The client opts into the longer window its model reads on request (Anthropic's `context-1m`
   * beta, which Claude Code's `[1m]` models send): a deployment whose provider is told reads it.
   */
  longContext: boolean;
  /**
   * The client lets an Ollama cut an input past the window to fit (Ollama's embed `truncate`, on
   * unless false): an Ollama deployment too small for it reads what fits, after any that read it whole.
   */
  cutToFit?: boolean | undefined;
  /**
   * The most tokens one call of the model reads, where that is less than the whole prompt: an
   * embeddings batch's longest input, as each is read alone (the window is per input, not per batch).
   */
  readTokens?: (() => number) | undefined;
}
