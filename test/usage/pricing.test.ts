/** What tokens cost: cache reads and writes at their own rates, long-context tiers, and the price table's base rates. */
import { describe, expect, it } from 'vitest';
import { baseCostPerMTok, cost, priceOf } from '../../gateway/usage/pricing';

const anthropic = { name: 'claude', kind: 'anthropic', baseUrl: 'https://api.anthropic.com' } as const;
const openai = { name: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1' } as const;
const deployment = (model: string, pricing?: Record<string, unknown>) => ({ name: 'd', provider: 'p', model, ...(pricing ? { pricing } : {}) }) as never;

describe('the cost of a request', () => {
  it('prices cache reads and writes at their rates, and at the input rate where a price names none', () => {
    const price = { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3, cacheWritePerMTok: 3.75 };
    // A Claude Code turn: most of its prompt read from the cache.
    expect(cost(price, { input: 100_000, cacheRead: 90_000, cacheWrite: 8_000, output: 1_000 })).toBeCloseTo((2_000 * 3 + 90_000 * 0.3 + 8_000 * 3.75 + 1_000 * 15) / 1e6, 12);
    expect(cost({ inputPerMTok: 3, outputPerMTok: 15 }, { input: 100_000, cacheRead: 90_000, output: 0 })).toBeCloseTo(0.3, 12);
    // Counts an upstream got wrong (more cached than sent) never make a negative price.
    expect(cost(price, { input: 10, cacheRead: 50, cacheWrite: 50, output: 0 })).toBeCloseTo(10 * 0.3 / 1e6, 12);
  });

  it('charges a whole request at a tier\'s rate once its prompt passes the tier', () => {
    const price = { inputPerMTok: { base: 3, tiers: [{ start: 200_000, price: 6 }] }, outputPerMTok: { base: 15, tiers: [{ start: 200_000, price: 22.5 }] } };
    expect(cost(price, { input: 200_000, output: 1_000_000 })).toBeCloseTo(0.6 + 15, 9);
    expect(cost(price, { input: 200_001, output: 1_000_000 })).toBeCloseTo(200_001 * 6 / 1e6 + 22.5, 9);
    expect(baseCostPerMTok({ ...price, source: 'price table' })).toBe(18);
  });
});

describe('the price table', () => {
  it('gives a model its base rates and cache rates, not its long-context tier', () => {
    const sonnet = priceOf(deployment('claude-sonnet-4-5'), anthropic);
    expect(sonnet.source).toBe('price table');
    expect(cost(sonnet, { input: 10_000, output: 1_000 })).toBeCloseTo((10_000 * 3 + 1_000 * 15) / 1e6, 12);
    expect(cost(sonnet, { input: 10_000, cacheRead: 10_000, output: 0 })).toBeCloseTo(10_000 * 0.3 / 1e6, 12);
    expect(cost(sonnet, { input: 10_000, cacheWrite: 10_000, output: 0 })).toBeCloseTo(10_000 * 3.75 / 1e6, 12);
    const mini = priceOf(deployment('gpt-4.1-mini'), openai);
    expect(cost(mini, { input: 1_000_000, cacheRead: 1_000_000, output: 0 })).toBeCloseTo(0.1, 9);
  });

  it("prices OpenAI's embedding models behind a proxy, whose base URL the table does not know, as OpenAI does", () => {
    const proxy = { name: 'proxy', kind: 'openai', baseUrl: 'https://llm-proxy.example.com/v1' } as const;
    for (const [model, perMTok] of [['text-embedding-3-small', 0.02], ['text-embedding-3-large', 0.13]] as const) {
      const price = priceOf(deployment(model), proxy);
      expect([model, price.source, cost(price, { input: 1_000_000, output: 0 })]).toEqual([model, 'price table', perMTok]);
    }
  });

  it("prices a Gemini model by the name Google's model list gives it (models/...) as by its bare id", () => {
    const google = { name: 'gemini', kind: 'openai', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai' } as const;
    const listed = priceOf(deployment('models/gemini-3.5-flash'), google);
    expect(listed.source).toBe('price table');
    expect(listed).toEqual(priceOf(deployment('gemini-3.5-flash'), google));
  });

  it('charges a deployment\'s own long-context price for every token of a request past its threshold', () => {
    // Claude Haiku 5.5 as first start writes it: five times the price once a prompt passes 100,000 tokens.
    const haiku = priceOf(deployment('claude-haiku-5-5', { inputPerMTok: 0.1, outputPerMTok: 0.5, cacheReadPerMTok: 0.01, longContext: { aboveTokens: 100_000, inputPerMTok: 0.5, outputPerMTok: 2.5 } }), anthropic);
    expect(cost(haiku, { input: 100_000, cacheRead: 90_000, output: 1_000 })).toBeCloseTo((10_000 * 0.1 + 90_000 * 0.01 + 1_000 * 0.5) / 1e6, 12);
    // Past it, a cache read with no long rate of its own rises as the input price does (0.01 to 0.05).
    expect(cost(haiku, { input: 100_001, cacheRead: 90_000, output: 1_000 })).toBeCloseTo((10_001 * 0.5 + 90_000 * 0.05 + 1_000 * 2.5) / 1e6, 12);
    expect(baseCostPerMTok(haiku)).toBeCloseTo(0.6, 12);
  });

  it('leaves a deployment\'s own price as it is, cache rates included', () => {
    expect(priceOf(deployment('claude-sonnet-4-5', { inputPerMTok: 1, outputPerMTok: 2, cacheReadPerMTok: 0.5 }), anthropic)).toEqual({ inputPerMTok: 1, outputPerMTok: 2, cacheReadPerMTok: 0.5, source: 'config' });
  });
});
