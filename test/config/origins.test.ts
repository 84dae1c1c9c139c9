/** The allowed web origins' rules: what each pattern lets in, and the rules refused outright. */
import { describe, expect, it } from 'vitest';
import { originMatcher, originRule } from '../../gateway/config/origins';

describe('allowed web origins', () => {
  it('match scheme, host and port whole, with * for a host, its subdomains or a port', () => {
    const allows = originMatcher(['http://localhost:*', 'https://*.example.com', 'app://obsidian.md', 'chrome-extension://*', 'http://[::1]:3000']);
    for (const origin of ['http://localhost', 'http://localhost:5173', 'HTTP://LOCALHOST:3000', 'https://chat.example.com', 'https://a.b.example.com', 'app://obsidian.md', 'chrome-extension://abcdefghijklmnop', 'http://[::1]:3000']) {
      expect([origin, allows(origin)]).toEqual([origin, true]);
    }
    for (const origin of ['https://localhost:5173', 'http://localhost.evil.com', 'https://example.com', 'https://evilexample.com', 'app://obsidian.md.evil', 'moz-extension://abc', 'http://[::1]:3001', 'null', 'http://localhost:*', `https://${'a'.repeat(400)}.example.com`]) {
      expect([origin, allows(origin)]).toEqual([origin, false]);
    }
  });

  it('refuse every website, a path, and * inside a host', () => {
    for (const text of ['https://*', 'http://*:*', 'http://localhost:3000/chat', 'http://a*b.example.com', 'https://*.*.com', 'https://*.com', 'localhost:3000']) {
      expect([text, 'problem' in originRule(text)]).toEqual([text, true]);
    }
    expect(originMatcher(['https://*'])('https://anything.com')).toBe(false);
  });
});
