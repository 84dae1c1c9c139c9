/** Whether a provider's model list names a deployment's model: aliases of dated snapshots, Ollama's ":latest", Gemini's resource names. */
import { describe, expect, it } from 'vitest';
import { listsModel, modelMeant } from '../../gateway/models/listed';

describe('a model list', () => {
  it('names an alias through its dated snapshot, as Anthropic and OpenAI list them', () => {
    expect(listsModel(['claude-haiku-4-5-20251001'], 'claude-haiku-4-5')).toBe(true);
    expect(listsModel(['claude-3-5-sonnet-20241022'], 'claude-3-5-sonnet-latest')).toBe(true);
    expect(listsModel(['gpt-4o-2024-08-06'], 'gpt-4o')).toBe(true);
    expect(listsModel(['claude-haiku-4-5-20251001'], 'claude-haiku-4-5-20251001')).toBe(true);
  });

  it('does not take another model that only starts the same', () => {
    expect(listsModel(['claude-haiku-4-5-20251001'], 'claude-haiku-4')).toBe(false);
    expect(listsModel(['gpt-4o-mini-2024-07-18'], 'gpt-4o')).toBe(false);
    expect(listsModel(['gpt-4-0613'], 'gpt-4')).toBe(false);
    expect(listsModel(['claude-sonnet-4-5-20250929'], 'claude-sonet-4-5')).toBe(false);
  });

  it("names an Ollama tag with or without :latest", () => {
    expect(listsModel(['llama3.2:latest'], 'llama3.2')).toBe(true);
    expect(listsModel(['llama3.2'], 'llama3.2:latest')).toBe(true);
    expect(listsModel(['llama3.2:3b'], 'llama3.2')).toBe(false);
  });

  it("names a Gemini model a deployment names by its resource name, as Gemini's API takes it too", () => {
    expect(listsModel(['gemini-2.5-flash'], 'models/gemini-2.5-flash')).toBe(true);
    expect(listsModel(['gemini-2.5-flash'], 'gemini-2.5-flash')).toBe(true);
    expect(listsModel(['gemini-2.5-flash'], 'models/gemini-2.5-pro')).toBe(false);
  });

  it('says which listed model a name it lacks most likely meant: another tag of it, or it with or without its vendor, else a name a letter or two off', () => {
    const ollama = ['llama3.2:3b', 'qwen3:8b', 'nomic-embed-text:latest'];
    expect(modelMeant(ollama, 'qwen3')).toBe('qwen3:8b');
    expect(modelMeant(ollama, 'llama3.2:1b')).toBe('llama3.2:3b');
    expect(modelMeant(['gpt-4.1-mini', 'gpt-4.1'], 'gpt-4.1mini')).toBe('gpt-4.1-mini');
    // A dated snapshot is offered by its alias, the name its API takes.
    expect(modelMeant(['claude-sonnet-4-5-20250929'], 'claude-sonnet-4.5')).toBe('claude-sonnet-4-5');
    // The same model with or without its vendor's prefix, as OpenRouter and LiteLLM write it and OpenAI does not.
    expect(modelMeant(['gpt-4.1-mini', 'gpt-4.1'], 'openai/gpt-4.1-mini')).toBe('gpt-4.1-mini');
    expect(modelMeant(['openai/gpt-4.1-mini', 'anthropic/claude-sonnet-4.5'], 'claude-sonnet-4.5')).toBe('anthropic/claude-sonnet-4.5');
    expect(modelMeant(ollama, 'mistral')).toBeUndefined();
    // Asked again of the same list: the same answer (worked out once).
    expect(modelMeant(ollama, 'qwen3')).toBe('qwen3:8b');
  });
});
