/**
 * A deployment's `keepAlive` as Ollama reads it: a number of seconds (negative: keep it loaded), or a
 * Go duration ("30m", "1h30m", "0"). Ollama parses a string with Go's time.ParseDuration, so "-1" or
 * "3600" written as a string (as OLLAMA_KEEP_ALIVE is written) would fail every request to it: a
 * string holding a number is sent as that number, and any other string that is no duration is
 * refused when the config is checked.
 */
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/;
// Each part ends in a unit no digit matches, so the parts split one way only (no backtracking blow-up).
const GO_DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const LONGEST = 64;

/** The value sent as Ollama's `keep_alive`. */
export function keepAliveSent(value: string | number): string | number {
  if (typeof value === 'number') return value;
  const trimmed = value.trim();
  return NUMBER.test(trimmed) ? Number(trimmed) : trimmed;
}

/** Why Ollama would refuse it, if it would. */
export function keepAliveProblem(value: string | number): string | undefined {
  if (typeof value === 'number') return undefined;
  const trimmed = value.trim();
  if (trimmed.length <= LONGEST && (NUMBER.test(trimmed) || GO_DURATION.test(trimmed))) return undefined;
  return `${JSON.stringify(value.slice(0, LONGEST))} is not a time Ollama reads: write it as 30m, 1h, 90s, 0 (unload at once), -1 (keep it loaded) or a number of seconds`;
}
