/**
 * Whether a provider's model list names a deployment's model. A list names what a provider serves,
 * not every name its API takes: Anthropic lists only dated snapshots (`claude-haiku-4-5-20251001`)
 * while its API takes the alias (`claude-haiku-4-5`, `claude-3-5-sonnet-latest`), Ollama may
 * leave `:latest` off a tag or add it, and Gemini's API takes a model by its resource name
 * (`models/gemini-2.5-flash`) as well as by the name alone, which is how lists give it
 * (models-list.ts).
 */

/** A snapshot's date after an alias: `-20251001` (Anthropic) or `-2024-08-06` (OpenAI). */
const SNAPSHOT_DATE = /^-(?:\d{8}|\d{4}-\d{2}-\d{2})$/;

export function listsModel(models: readonly string[], named: string): boolean {
  const model = named.replace(/^models\//, '');
  const untagged = model.replace(/:latest$/, '');
  const alias = model.replace(/-latest$/, '');
  return models.some((listed) => listed === model || listed === untagged || listed === `${untagged}:latest` || (listed.startsWith(alias) && SNAPSHOT_DATE.test(listed.slice(alias.length))));
}
