/**
 * Whether a provider's model list names a deployment's model. A list names what a provider serves,
 * not every name its API takes: Anthropic lists only dated snapshots (`claude-haiku-4-5-20251001`)
 * while its API takes the alias (`claude-haiku-4-5`, `claude-3-5-sonnet-latest`), Ollama may
 * leave `:latest` off a tag or add it, and Gemini's API takes a model by its resource name
 * (`models/gemini-2.5-flash`) as well as by the name alone, which is how lists give it
 * (models-list.ts).
 */
import { nearest } from '../config/nearest';

/** A snapshot's date after an alias: `-20251001` (Anthropic) or `-2024-08-06` (OpenAI). */
const SNAPSHOT_DATE = /^-(?:\d{8}|\d{4}-\d{2}-\d{2})$/;

export function listsModel(models: readonly string[], named: string): boolean {
  const model = named.replace(/^models\//, '');
  const untagged = model.replace(/:latest$/, '');
  const alias = model.replace(/-latest$/, '');
  return models.some((listed) => listed === model || listed === untagged || listed === `${untagged}:latest` || (listed.startsWith(alias) && SNAPSHOT_DATE.test(listed.slice(alias.length))));
}

/** What each list's missing names were found to mean: a list is kept as long as the probe that gave it. */
const meant = new WeakMap<Iterable<string>, Map<string, string | null>>();

/**
 * The listed model a name the list lacks most likely meant: the same model with another tag (an
 * Ollama's `qwen3:8b` for `qwen3`, which means `qwen3:latest`), or with or without its vendor's
 * prefix (`openai/gpt-4.1-mini`), else a name a letter or two off (`gpt-4.1mini`). Worked out once
 * per list and name: the health report asks at each refresh.
 */
export function modelMeant(models: readonly string[] | ReadonlySet<string>, named: string): string | undefined {
  let known = meant.get(models);
  if (!known) meant.set(models, (known = new Map()));
  if (!known.has(named)) known.set(named, closest([...models], named) ?? null);
  return known.get(named) ?? undefined;
}

function closest(models: readonly string[], named: string): string | undefined {
  const base = named.replace(/^models\//, '').split(':')[0];
  const tagged = models.find((listed) => listed.includes(':') && listed.split(':')[0] === base);
  // With or without its vendor (`openai/gpt-4.1-mini` on OpenAI's API, `gpt-4.1-mini` on OpenRouter's).
  const unvendored = named.slice(named.lastIndexOf('/') + 1);
  const vendored = models.find((listed) => listed.slice(listed.lastIndexOf('/') + 1) === unvendored);
  // A dated snapshot's alias too (`claude-sonnet-4-5` for `claude-sonnet-4.5`): the name its API takes.
  const aliases = models.map((listed) => listed.replace(/-(?:\d{8}|\d{4}-\d{2}-\d{2})$/, ''));
  return tagged ?? vendored ?? nearest(named, new Set([...aliases, ...models]));
}
