/**
 * A chat request as Google's OpenAI compatibility layer takes it, piece by piece. The whole path,
 * against a fake that refuses what Google refuses, is in test/http/gemini.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { forGemini, isGoogle, SKIP_SIGNATURE } from '../../gateway/providers/gemini';
import { geminiSchema } from '../../gateway/providers/gemini-schema';
import type { ChatRequest } from '../../gateway/wire/canonical';

it("knows Google's compatibility layer by its host or its path", () => {
  const google = (baseUrl: string) => isGoogle({ name: 'g', kind: 'openai', baseUrl });
  expect(google('https://generativelanguage.googleapis.com/v1beta/openai')).toBe(true);
  expect(google('https://aiplatform.googleapis.com/v1/projects/p/locations/global/endpoints/openapi')).toBe(true);
  expect(google('http://127.0.0.1:8080/v1beta/openai/')).toBe(true);
  expect(google('https://openrouter.ai/api/v1')).toBe(false);
  expect(google('https://api.openai.com/v1')).toBe(false);
});

describe('a chat request for Gemini', () => {
  const call = (id: string, extra?: object) => ({ id, type: 'function' as const, function: { name: 'f', arguments: '{}' }, ...extra });
  const history = (calls: object[]): ChatRequest => ({
    model: 'gemini-3.5-flash',
    messages: [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: null, tool_calls: calls, reasoning_content: 'because' } as ChatRequest['messages'][number],
      { role: 'tool', tool_call_id: 'a', content: 'ok' },
    ],
  });

  it('signs the first call of an unsigned turn with the skip value, keeps a signed one, and leaves reasoning out', () => {
    const unsigned = forGemini(history([call('a'), call('b')])).messages[1] as { tool_calls: object[] };
    expect(unsigned).toEqual({ role: 'assistant', content: null, tool_calls: [call('a', { extra_content: { google: { thought_signature: SKIP_SIGNATURE } } }), call('b')] });
    const signed = call('a', { extra_content: { google: { thought_signature: 'Cj0BAAA' } } });
    expect((forGemini(history([signed, call('b')])).messages[1] as { tool_calls: object[] }).tool_calls).toEqual([signed, call('b')]);
    const vertex = call('a', { extra_content: { vertex: { thought_signature: 'Cj0BBBB' } } });
    expect((forGemini(history([vertex])).messages[1] as { tool_calls: object[] }).tool_calls).toEqual([vertex]);
    // What else a client kept beside it stays.
    const other = call('a', { extra_content: { acme: { trace: 1 } } });
    expect((forGemini(history([other])).messages[1] as { tool_calls: object[] }).tool_calls).toEqual([call('a', { extra_content: { acme: { trace: 1 }, google: { thought_signature: SKIP_SIGNATURE } } })]);
    const plain: ChatRequest = { model: 'gemini-3.5-flash', messages: [{ role: 'user', content: 'hi' }] };
    expect(forGemini(plain)).toBe(plain);
  });

  it('sends the nearest effort Google takes', () => {
    const effort = (value: string) => forGemini({ model: 'g', messages: [], reasoning_effort: value } as unknown as ChatRequest).reasoning_effort;
    expect(['minimal', 'low', 'medium', 'high', 'xhigh', 'none'].map(effort)).toEqual(['low', 'low', 'medium', 'high', 'high', 'none']);
  });

  it('rewrites tool and answer schemas into its subset, with no strict mode', () => {
    const parameters = { $schema: 'x', type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } };
    const out = forGemini({ model: 'g', messages: [], tools: [{ type: 'function', function: { name: 'f', strict: true, parameters } }], response_format: { type: 'json_schema', json_schema: { name: 'r', schema: parameters } } });
    expect(out.tools).toEqual([{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } } } } }]);
    expect(out.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'r', schema: { type: 'object', properties: { a: { type: 'string' } } } } });
  });
});

describe("a JSON Schema in Gemini's subset", () => {
  it('keeps what it can say of what Gemini refuses', () => {
    expect(
      geminiSchema({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        additionalProperties: false,
        properties: {
          n: { type: 'integer', exclusiveMinimum: 0, maximum: 9, description: 'count' },
          units: { const: 'metric' },
          url: { type: ['string', 'null'], format: 'uri' },
          when: { type: 'string', format: 'date-time' },
          level: { type: 'integer', enum: [1, 2] },
          either: { oneOf: [{ type: 'string' }, { type: 'number' }] },
          maybe: { anyOf: [{ type: 'string' }, { type: 'null' }] },
          tags: { type: 'object', propertyNames: { pattern: '^x' }, additionalProperties: { type: 'string' } },
          list: { type: 'array', items: [{ type: 'string' }] },
        },
        required: ['n', 'missing'],
      }),
    ).toEqual({
      type: 'object',
      properties: {
        n: { type: 'integer', minimum: 0, maximum: 9, description: 'count' },
        units: { type: 'string', enum: ['metric'] },
        url: { type: 'string', nullable: true },
        when: { type: 'string', format: 'date-time' },
        level: { type: 'integer' },
        either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        maybe: { type: 'string', nullable: true },
        tags: { type: 'object' },
        list: { type: 'array', items: { type: 'string' } },
      },
      required: ['n'],
    });
  });

  it('gives members only to the type they belong to, and the type to members that have none', () => {
    expect(geminiSchema({ properties: { a: { type: 'string' } }, required: ['a'] })).toEqual({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
    expect(geminiSchema({ type: 'string', properties: { a: { type: 'string' } }, items: { type: 'string' } })).toEqual({ type: 'string' });
    expect(geminiSchema({ items: { type: 'number' } })).toEqual({ type: 'array', items: { type: 'number' } });
  });

  it('inlines local references, cutting a recursive one, within bounds', () => {
    const schema = { type: 'object', properties: { node: { $ref: '#/$defs/node' }, other: { $ref: 'https://example.com/s.json' } }, $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } } } };
    let depth = 0;
    for (let node = (geminiSchema(schema).properties as Record<string, { properties?: Record<string, unknown> }>).node; node?.properties; node = node.properties.next as typeof node) depth++;
    expect(depth).toBe(6);
    expect((geminiSchema(schema).properties as Record<string, unknown>).other).toEqual({ type: 'object' });
    // A schema far larger than any tool's is walked only so far.
    const wide = { type: 'object', properties: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`p${i}`, { type: 'string' }])) };
    const kept = Object.values(geminiSchema(wide).properties as Record<string, object>).filter((p) => Object.keys(p).length > 0);
    expect(kept.length).toBeLessThan(20_000);
  });
});
