import { describe, expect, it } from 'vitest';
import { hasLookaround, withoutLookaroundPatterns } from '../../gateway/wire/schema-patterns';

/** Claude Code 2.1.265's Artifact tool names a file with this pattern. */
const ARTIFACT = '^(?!__.*__$)[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}"\\\\./[\\]]{1,200}$';

describe('hasLookaround', () => {
  it('finds each assertion, and not a group, an escaped parenthesis or one in a character class', () => {
    for (const pattern of [ARTIFACT, '^(?=.*@).+$', 'a(?<=b)', 'x(?<!y)z']) expect(hasLookaround(pattern)).toBe(true);
    for (const pattern of ['^(?:ab)+$', '(?<name>x)', '\\(?=', '[(?=]', '^[a-z]+$', '[\\]](?:x)']) expect(hasLookaround(pattern)).toBe(false);
  });
});

describe('withoutLookaroundPatterns', () => {
  const schema = {
    type: 'object',
    properties: {
      file: { type: 'string', pattern: ARTIFACT, minLength: 1 },
      to: { type: 'array', items: { type: 'string', pattern: '^(?!\\.)[^@]+@[^@]+$' } },
      code: { type: 'string', pattern: '^[A-Z]{3}$' },
      // A property named "pattern" is a property, and a default is data.
      pattern: { type: 'string', default: '(?=kept)' },
    },
  };
  const expected = {
    type: 'object',
    properties: { file: { type: 'string', minLength: 1 }, to: { type: 'array', items: { type: 'string' } }, code: { type: 'string', pattern: '^[A-Z]{3}$' }, pattern: { type: 'string', default: '(?=kept)' } },
  };

  it("leaves them out of chat's tools and response format, and the Responses API's tools (namespaced, in additional_tools) and text format", () => {
    const chat = withoutLookaroundPatterns({ model: 'm', tools: [{ type: 'function', function: { name: 'Artifact', parameters: schema } }], response_format: { type: 'json_schema', json_schema: { name: 'r', schema } } });
    expect(chat).toEqual({ model: 'm', tools: [{ type: 'function', function: { name: 'Artifact', parameters: expected } }], response_format: { type: 'json_schema', json_schema: { name: 'r', schema: expected } } });
    const responses = withoutLookaroundPatterns({
      tools: [{ type: 'function', name: 'a', parameters: schema }, { type: 'namespace', name: 'mcp', tools: [{ type: 'function', name: 'b', parameters: schema }] }],
      text: { format: { type: 'json_schema', name: 'r', schema } },
      input: [{ type: 'additional_tools', tools: [{ type: 'function', name: 'c', parameters: schema }] }, { type: 'message', role: 'user', content: 'hi' }],
    });
    expect(responses).toEqual({
      tools: [{ type: 'function', name: 'a', parameters: expected }, { type: 'namespace', name: 'mcp', tools: [{ type: 'function', name: 'b', parameters: expected }] }],
      text: { format: { type: 'json_schema', name: 'r', schema: expected } },
      input: [{ type: 'additional_tools', tools: [{ type: 'function', name: 'c', parameters: expected }] }, { type: 'message', role: 'user', content: 'hi' }],
    });
    // The request as it came is not changed.
    expect(schema.properties.file.pattern).toBe(ARTIFACT);
  });

  it('returns the body itself when nothing is left out, and stops at a depth no schema needs', () => {
    const plain = { model: 'm', tools: [{ type: 'function', function: { name: 'x', parameters: { type: 'object', properties: { a: { type: 'string', pattern: '^a$' } } } } }] };
    expect(withoutLookaroundPatterns(plain)).toBe(plain);
    let deep: Record<string, unknown> = { type: 'string', pattern: '(?=deep)' };
    for (let i = 0; i < 10_000; i++) deep = { type: 'array', items: deep };
    const body = { tools: [{ type: 'function', name: 'deep', parameters: deep }] };
    expect(withoutLookaroundPatterns(body)).toBe(body);
  });
});
