/**
 * Reasoning efforts across vendors, on one ladder: OpenAI's names, least to most (Anthropic's
 * `output_config.effort` runs low to max, Ollama's thinking levels low to high, Google's low to
 * high). A client asks for one; each upstream takes the nearest its model has, so an agent set to
 * `max` still gets its model's most, not its default, and never a 400 for asking.
 */
export const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type Effort = (typeof EFFORTS)[number];

/** Ollama's thinking levels (gpt-oss's). */
export const THINK_LEVELS = ['low', 'medium', 'high'] as const;

/**
 * The effort among `offered` nearest to `asked`: the most that is not more, else the least that is
 * more. `none` (no reasoning at all) is only ever the answer to `none`. Undefined when `asked` is
 * not an effort, or nothing offered fits.
 */
export function nearestEffort<T extends Effort>(asked: unknown, offered: readonly T[]): T | undefined {
  const rank = EFFORTS.indexOf(asked as Effort);
  if (rank < 0) return undefined;
  if (asked === 'none') return offered.find((effort) => effort === 'none');
  let below: T | undefined;
  let above: T | undefined;
  const rankOf = (effort: T | undefined) => (effort === undefined ? -1 : EFFORTS.indexOf(effort));
  for (const effort of offered) {
    const at = rankOf(effort);
    if (effort === 'none' || at < 0) continue;
    if (at <= rank && at > rankOf(below)) below = effort;
    if (at > rank && (above === undefined || at < rankOf(above))) above = effort;
  }
  return below ?? above;
}

/** The efforts named in an upstream's list of what it takes ("Supported values are: 'low', 'medium', and 'high'."). */
export function effortsIn(text: string): Effort[] {
  const words = new Set(text.toLowerCase().match(/[a-z]{3,7}/g) ?? []);
  return EFFORTS.filter((effort) => words.has(effort));
}
