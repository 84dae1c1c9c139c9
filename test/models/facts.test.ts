/** The bundled model table and how a deployment's facts are decided: config, then upstream, then table. */
import { describe, expect, it } from 'vitest';
import { capabilitiesOf, contextWindowOf, knownModel, ollamaShowFacts } from '../../gateway/models/facts';

const deployment = (fields: Record<string, unknown>) => ({ name: 'd', provider: 'p', model: 'm', ...fields }) as never;

describe('the bundled model table', () => {
  it('matches the longest known prefix, case-insensitively, after a vendor/ prefix', () => {
    expect(knownModel('gpt-5-chat-latest')?.contextWindow).toBe(128000);
    expect(knownModel('gpt-5.1-codex')?.contextWindow).toBe(400000);
    expect(knownModel('gpt-5.5-pro')?.contextWindow).toBe(1_050_000);
    expect(knownModel('anthropic/Claude-Sonnet-4.5')?.capabilities).toContain('thinking');
    expect(knownModel('my-own-model')).toBeUndefined();
  });

  it('knows each Claude generation\'s window and output limit, the dated snapshots too', () => {
    const facts = (model: string) => [knownModel(model)?.contextWindow, knownModel(model)?.maxOutput];
    expect(facts('claude-opus-4-1-20250805')).toEqual([200_000, 32_000]);
    expect(facts('claude-sonnet-4-5-20250929')).toEqual([200_000, 64_000]);
    expect(facts('claude-opus-4-5-20251101')).toEqual([200_000, 64_000]);
    // Sonnet and Opus 4.6 on, and the fifth generation, read a million tokens.
    expect(facts('claude-sonnet-4-6')).toEqual([1_000_000, 128_000]);
    expect(facts('claude-opus-4-7')).toEqual([1_000_000, 128_000]);
    expect(facts('claude-sonnet-5-5')).toEqual([1_000_000, 128_000]);
    expect(facts('claude-fable-5-1')).toEqual([1_000_000, 128_000]);
    expect(facts('claude-haiku-5-5')).toEqual([1_000_000, 128_000]);
    expect(facts('claude-haiku-4-5-20251001')).toEqual([200_000, 64_000]);
  });
});

describe("a deployment's facts", () => {
  it('take the config over the upstream, and the upstream over the table', () => {
    expect(capabilitiesOf(deployment({ model: 'gpt-4o', capabilities: ['completion'] }))).toEqual(['completion']);
    expect(capabilitiesOf(deployment({ model: 'gpt-4o' }), { capabilities: ['completion', 'tools'] })).toEqual(['completion', 'tools']);
    expect(capabilitiesOf(deployment({ model: 'gpt-4o' }))).toEqual(['completion', 'tools', 'vision']);
    expect(capabilitiesOf(deployment({ model: 'unknown', type: 'embedding' }))).toEqual(['embedding']);
  });

  it("give an Ollama deployment the num_ctx it will be sent, never the trained maximum", () => {
    const show = ollamaShowFacts({ parameters: 'stop "x"\nnum_ctx 8192', model_info: { 'general.architecture': 'qwen3', 'qwen3.context_length': 40960 }, capabilities: ['completion', 'thinking', 'nonsense'] });
    expect(show).toEqual({ family: 'qwen3', trainedContext: 40960, modelfileNumCtx: 8192, capabilities: ['completion', 'thinking'] });
    expect(contextWindowOf(deployment({ options: { num_ctx: 16384 } }), 'ollama', show)).toBe(16384);
    expect(contextWindowOf(deployment({}), 'ollama', show)).toBe(8192);
    expect(contextWindowOf(deployment({}), 'ollama', { loadedContext: 4096 })).toBe(4096);
    expect(contextWindowOf(deployment({}), 'ollama')).toBeUndefined();
    expect(contextWindowOf(deployment({ contextWindow: 1000 }), 'ollama', show)).toBe(1000);
    expect(contextWindowOf(deployment({ model: 'claude-opus-4-1' }), 'anthropic')).toBe(200000);
  });
});
