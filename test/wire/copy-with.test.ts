import { describe, expect, it } from 'vitest';
import { copyWith, withStream } from '../../gateway/wire/copy-with';

describe('copies of request bodies with fields set', () => {
  it('are what a spread makes: the body untouched, its keys in order, a key set again in its place', () => {
    const body = JSON.parse('{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}],"temperature":0.7}');
    const copy = copyWith(body, { stream: false, stream_options: { include_usage: true } });
    expect(JSON.stringify(copy)).toBe(JSON.stringify({ ...body, stream: false, stream_options: { include_usage: true } }));
    expect(Object.keys(copy)).toEqual(['model', 'stream', 'messages', 'temperature', 'stream_options']);
    expect(body).toEqual({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }], temperature: 0.7 });
    expect(copy.messages).toBe(body.messages);
  });

  it('keep a `__proto__` key an upstream sent as a key, as a spread does, not as the copy\'s prototype', () => {
    const item = JSON.parse('{"type":"message","__proto__":{"polluted":true}}');
    const copy = copyWith(item, { phase: 'final_answer' });
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify({ ...item, phase: 'final_answer' }));
  });

  it('set the stream flag on a copy, and leave a body that already says so as it is', () => {
    const asked = { model: 'm', messages: [] };
    const whole = withStream(asked, false);
    expect(whole).toEqual({ model: 'm', messages: [], stream: false });
    expect(asked).not.toHaveProperty('stream');
    const streamed = { model: 'm', stream: true };
    expect(withStream(streamed, true)).toBe(streamed);
    const flipped = withStream(streamed, false);
    expect(flipped).not.toBe(streamed);
    expect(flipped).toEqual({ model: 'm', stream: false });
    expect(streamed.stream).toBe(true);
    // A null is not false: the copy says false.
    expect(withStream({ stream: null }, false)).toEqual({ stream: false });
  });
});
