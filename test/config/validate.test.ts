import { describe, expect, it } from 'vitest';
import { defaultConfig, ollamaUrlFromEnv, startingConfig } from '../../gateway/config/defaults';
import { createConfigStore } from '../../gateway/store/config-store';
import { openDatabase } from '../../gateway/store/db';
import { tempDir } from '../support/harness';
import { validateConfig } from '../../gateway/config/validate';
import { priceOf } from '../../gateway/usage/pricing';

/** The example from the issue, verbatim. */
const example = () => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' },
    { name: 'cloud', kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'env:OPENAI_API_KEY' },
  ],
  deployments: [
    {
      name: 'llama',
      provider: 'local',
      model: 'llama3.2:3b',
      type: 'chat',
      timeZone: 'Europe/Paris',
      timeWindows: [{ start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }],
    },
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini', type: 'chat', pricing: { inputPerMTok: 0.4, outputPerMTok: 1.6 } },
  ],
  routes: [{ name: 'default', deployments: ['llama', 'mini'] }],
});

function errorsOf(mutate: (c: any) => void) {
  const config = example();
  mutate(config);
  const result = validateConfig(config);
  if (result.ok) throw new Error('expected the config to be invalid');
  return result.errors;
}

describe('validateConfig', () => {
  it('accepts the documented example with no warnings', () => {
    const result = validateConfig(example());
    expect(result).toMatchObject({ ok: true, warnings: [] });
  });

  for (const bad of ['24:00', '7:5', '25:00', '12:60', '9:00', '']) {
    it(`rejects the time "${bad}" naming the field and the value`, () => {
      const errors = errorsOf((c) => (c.deployments[0].timeWindows[0].start = bad));
      const said = bad === '' ? 'is required: a time in HH:MM form (00:00 to 23:59)' : `"${bad}" is not a time in HH:MM form (00:00 to 23:59)`;
      expect(errors).toContainEqual({ path: 'deployments[0].timeWindows[0].start', message: said });
    });
  }

  it('rejects an unknown time zone', () => {
    expect(errorsOf((c) => (c.deployments[0].timeZone = 'Mars/Olympus'))).toContainEqual({
      path: 'deployments[0].timeZone',
      message: '"Mars/Olympus" is not a known IANA time zone',
    });
  });

  it('rejects an unknown day name', () => {
    const errors = errorsOf((c) => (c.deployments[0].timeWindows[0].days = ['mon', 'funday']));
    expect(errors).toContainEqual({ path: 'deployments[0].timeWindows[0].days[1]', message: '"funday" is not a day name (mon, tue, wed, thu, fri, sat, sun)' });
  });

  it('rejects duplicate names', () => {
    expect(errorsOf((c) => c.deployments.push({ ...c.deployments[1] }))).toContainEqual({ path: 'deployments[2].name', message: '"mini" is used twice' });
    expect(errorsOf((c) => c.providers.push({ ...c.providers[0] }))).toContainEqual({ path: 'providers[2].name', message: '"local" is used twice' });
  });

  it('rejects a name shared by a route and a deployment', () => {
    expect(errorsOf((c) => (c.routes[0].name = 'mini'))).toContainEqual({
      path: 'deployments[1].name',
      message: '"mini" is also a route name; a model name must mean one thing',
    });
  });

  it('rejects references that do not resolve', () => {
    expect(errorsOf((c) => (c.deployments[0].provider = 'nope'))).toContainEqual({ path: 'deployments[0].provider', message: 'no provider is named "nope"' });
    expect(errorsOf((c) => c.routes[0].deployments.push('ghost'))).toContainEqual({ path: 'routes[0].deployments[2]', message: 'no deployment is named "ghost"' });
  });

  it('suggests the name a reference was one or two letters off, and the scheme a base URL left out', () => {
    expect(errorsOf((c) => (c.routes[0].deployments = ['llama', 'mni']))).toContainEqual({ path: 'routes[0].deployments[1]', message: 'no deployment is named "mni" (did you mean "mini"?)' });
    expect(errorsOf((c) => (c.deployments[0].provider = 'locl'))).toContainEqual({ path: 'deployments[0].provider', message: 'no provider is named "locl" (did you mean "local"?)' });
    expect(errorsOf((c) => (c.deployments[0].provider = 'elsewhere'))).toContainEqual({ path: 'deployments[0].provider', message: 'no provider is named "elsewhere"' });
    expect(errorsOf((c) => (c.providers[0].baseUrl = 'localhost:11434'))).toContainEqual({ path: 'providers[0].baseUrl', message: '"localhost:11434" is not an http(s) URL (did you mean "http://localhost:11434"?)' });
    expect(errorsOf((c) => (c.providers[0].baseUrl = 'http//localhost'))).toContainEqual({ path: 'providers[0].baseUrl', message: '"http//localhost" is not an http(s) URL' });
    // A query goes with every request, but a credential in it would be shown with the base URL.
    expect(errorsOf((c) => (c.providers[0].baseUrl = 'http://127.0.0.1:11434/?api-version=1&key=AIza123'))).toContainEqual({ path: 'providers[0].baseUrl', message: 'the URL\'s query has "key", a credential, which would be kept in the config as plain text and shown wherever the base URL is: give it as the provider\'s apiKey or a header instead' });
    for (const name of ['api_key', 'access_token', 'X-Amz-Signature', 'code']) {
      expect(errorsOf((c) => (c.providers[0].baseUrl = `http://127.0.0.1:11434/?${name}=x`)).map((e) => e.message).join()).toContain(`the URL's query has "${name}", a credential`);
    }
    for (const query of ['api-version=2024-10-21', 'assignment=1&author=me']) {
      expect(validateConfig({ ...example(), providers: example().providers.map((p, i) => (i === 1 ? { ...p, baseUrl: `https://x.openai.azure.com/openai/v1?${query}` } : p)) }).ok).toBe(true);
    }
    // Copied with the line that set it, from a .env file or a shell profile.
    expect(errorsOf((c) => (c.providers[0].baseUrl = '"http://127.0.0.1:11434"'))).toContainEqual({ path: 'providers[0].baseUrl', message: '"\\"http://127.0.0.1:11434\\"" is not an http(s) URL (did you mean "http://127.0.0.1:11434"?)' });
    expect(errorsOf((c) => (c.providers[0].baseUrl = 'export OLLAMA_HOST=localhost:11434'))).toContainEqual({ path: 'providers[0].baseUrl', message: '"export OLLAMA_HOST=localhost:11434" is not an http(s) URL (did you mean "http://localhost:11434"?)' });
  });

  it('rejects a route that mixes chat and embedding deployments; an unknown one is said once, not also as rules reaching another type', () => {
    const errors = errorsOf((c) => (c.deployments[1].type = 'embedding'));
    expect(errors).toContainEqual({ path: 'routes[0].deployments', message: 'route "default" mixes deployment types (chat, embedding); all must share one type' });
    const ruled = (own: string, target: string) => errorsOf((c) => (c.routes = [{ name: 'default', deployments: [own], rules: [{ when: { thinking: true }, use: 'cloud' }] }, { name: 'cloud', deployments: [target] }]));
    expect([ruled('llama', 'mnii'), ruled('lama', 'mini').map((e) => e.path)]).toEqual([[{ path: 'routes[1].deployments[0]', message: 'no deployment is named "mnii" (did you mean "mini"?)' }], ['routes[0].deployments[0]']]);
  });

  it('rejects a model name with a space or line break at either end, which its provider would look for as it is', () => {
    expect(errorsOf((c) => (c.deployments[1].model = 'gpt-4.1-mini '))).toEqual([
      { path: 'deployments[1].model', message: '"gpt-4.1-mini " has a space or line break at its start or end, which its provider would take as part of the name (did you mean "gpt-4.1-mini"?)' },
    ]);
    expect(errorsOf((c) => (c.deployments[0].model = '\nllama3.2:3b')).map((e) => e.path)).toEqual(['deployments[0].model']);
    // Inside the name is the provider's business (Ollama's "hf.co/org/model:Q4_K_M", a Bedrock ARN).
    expect(validateConfig({ ...example(), deployments: [{ ...example().deployments[0], model: 'hf.co/org/Some Model:Q4' }, example().deployments[1]] }).ok).toBe(true);
  });

  it('rejects an embedding deployment on Anthropic, which has no embeddings API', () => {
    const errors = errorsOf((c) => {
      c.providers.push({ name: 'claude', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', apiKey: 'env:ANTHROPIC_API_KEY' });
      c.deployments.push({ name: 'claude-embed', provider: 'claude', model: 'claude-haiku-4-5', type: 'embedding' });
    });
    expect(errors).toContainEqual({ path: `deployments[2].type`, message: 'Anthropic has no embeddings API, so "claude" cannot serve an embedding deployment' });
  });

  it('rejects an API key written as a value', () => {
    const errors = errorsOf((c) => (c.providers[1].apiKey = 'sk-live-123'));
    expect(errors[0]?.path).toBe('providers[1].apiKey');
    expect(errors[0]?.message).toContain('env:OPENAI_API_KEY');
    expect(JSON.stringify(errors)).not.toContain('sk-live-123');
    // A variable written as a shell, a .env file or Windows would: the reference meant.
    for (const written of ['$OPENAI_API_KEY', '${OPENAI_API_KEY}', '%OPENAI_API_KEY%', 'OPENAI_API_KEY']) {
      expect(errorsOf((c) => (c.providers[1].apiKey = written))).toContainEqual({ path: 'providers[1].apiKey', message: 'must be written env:NAME to name an environment variable (did you mean "env:OPENAI_API_KEY"?)' });
    }
  });

  it('rejects unknown fields, missing fields, bad kinds and non-http URLs', () => {
    expect(errorsOf((c) => (c.routes[0].fallbackOrder = []))).toContainEqual({ path: 'routes[0].fallbackOrder', message: 'is not a known field' });
    expect(errorsOf((c) => delete c.deployments[0].model)).toContainEqual({ path: 'deployments[0].model', message: 'is required' });
    expect(errorsOf((c) => (c.providers[0].kind = 'azure'))).toContainEqual({ path: 'providers[0].kind', message: 'must be "ollama", "openai" or "anthropic" (got "azure")' });
    expect(errorsOf((c) => (c.providers[0].baseUrl = 'ftp://x'))).toContainEqual({ path: 'providers[0].baseUrl', message: '"ftp://x" is not an http(s) URL' });
    expect(errorsOf((c) => (c.version = 2))).toEqual([{ path: 'version', message: 'this is config version 2, from a newer Switchyard; this one reads version 1' }]);
    expect(errorsOf((c) => (c.version = 0))[0]?.path).toBe('version');
  });

  it('rejects retry settings out of range', () => {
    expect(errorsOf((c) => (c.routes[0].retry = { attempts: 0 }))[0]?.path).toBe('routes[0].retry.attempts');
    expect(errorsOf((c) => (c.routes[0].retry = { backoffMs: 500, maxBackoffMs: 100 }))).toContainEqual({
      path: 'routes[0].retry.maxBackoffMs',
      message: '100 is below backoffMs (500)',
    });
    expect(errorsOf((c) => (c.routes[0].fallbackOn = ['timeout', 'meteor']))[0]?.path).toBe('routes[0].fallbackOn[1]');
  });

  it('warns, but accepts, a route with a single deployment', () => {
    const config = example();
    config.routes[0]!.deployments = ['llama'];
    const result = validateConfig(config);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([{ path: 'routes[0].deployments', message: 'route "default" has a single deployment, so fallback cannot help it' }]);
  });

  it("warns, but accepts, a budget or rule of a tool the gateway does not know by name, and takes one it does", () => {
    const budgeted = (tool: string) => {
      const config = example() as ReturnType<typeof example> & { budgets?: unknown[] };
      config.budgets = [{ name: 'agent', scope: { tool }, period: 'day', limitUsd: 5 }];
      return validateConfig(config);
    };
    expect(budgeted('Claude Code')).toMatchObject({ ok: true, warnings: [] });
    expect(budgeted('curl')).toMatchObject({ ok: true, warnings: [{ path: 'budgets[0].scope.tool', message: expect.stringMatching(/^"curl" is not a tool the gateway knows by name: it applies only to requests whose headers name their tool so/) }] });
    expect(budgeted('Claude code').warnings[0]?.message).toMatch(/^"Claude code" is not a tool the gateway knows by name \(did you mean "Claude Code"\?\)/);
    expect(budgeted('x'.repeat(49)).ok).toBe(false);
    const ruled = (tool: string) => {
      const config = example();
      config.routes = [{ name: 'default', deployments: ['llama', 'mini'], rules: [{ when: { tool }, use: 'cloud' }] } as never, { name: 'cloud', deployments: ['mini'] }];
      return validateConfig(config).warnings.filter((w) => w.path.includes('rules'));
    };
    expect(ruled('Codex')).toEqual([]);
    expect(ruled('Codx')).toEqual([{ path: 'routes[0].rules[0].when.tool', message: expect.stringMatching(/^"Codx" is not a tool the gateway knows by name \(did you mean "Codex"\?\): it applies only to requests whose headers name their tool so/) }]);
  });

  it('warns, but accepts, a key written as plain text in a header that carries one, and not one named by a reference', () => {
    const headered = (headers: Record<string, string>) => {
      const config = example();
      Object.assign(config.providers[1]!, { headers });
      return validateConfig(config).warnings;
    };
    expect(headered({ 'Api-Key': '0123abcd', 'x-title': 'switchyard' })).toEqual([{ path: 'providers[1].headers.Api-Key', message: expect.stringMatching(/^holds a key as plain text, kept in the config and shown wherever it is: put it in a variable and write "env:NAME" here/) }]);
    expect(headered({ authorization: 'env:PROXY_AUTHORIZATION', 'cf-access-client-secret': 'secret:cf' })).toEqual([]);
  });

  it('warns, but accepts, Ollama-only settings on a deployment of another kind of provider', () => {
    const config = example();
    Object.assign(config.deployments[1]!, { coldStart: 'fallback' });
    const result = validateConfig(config);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([{ path: 'deployments[1]', message: 'options, keepAlive, think and coldStart apply only to Ollama providers; "mini" ignores them' }]);
  });

  it('warns, but accepts, an Ollama the address of which says it is on the internet (local only skips it)', () => {
    const ollamaAt = (baseUrl: string, local?: boolean) => {
      const config = example();
      Object.assign(config.providers[0]!, { baseUrl }, local === undefined ? {} : { local });
      return validateConfig(config).warnings;
    };
    expect(ollamaAt('https://ollama.example.com')).toEqual([{ path: 'providers[0].local', message: expect.stringMatching(/^the Ollama at ollama\.example\.com is on the internet as far as its address says/) }]);
    expect(ollamaAt('https://ollama.example.com', true)).toEqual([]);
    expect(ollamaAt('http://gpu-box:11434')).toEqual([]);
  });

  it('refuses a base URL with a user and password, which would not be sent, without repeating them', () => {
    const errors = errorsOf((c) => (c.providers[0].baseUrl = 'http://me:s3cret@gpu-box:11434'));
    expect(errors).toEqual([expect.objectContaining({ path: 'providers[0].baseUrl', message: expect.stringMatching(/^the URL has a user and password, which would not be sent/) })]);
    expect(JSON.stringify(errors)).not.toContain('s3cret');
  });

  it('bounds the aliases, since an unknown name is tried against every pattern', () => {
    const aliases = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`tool-${i}-*`, 'default']));
    expect(validateConfig({ ...example(), aliases: aliases(256) }).ok).toBe(true);
    expect(errorsOf((c) => (c.aliases = aliases(257)))).toEqual([{ path: 'aliases', message: 'has 257 entries; at most 256 are allowed' }]);
  });

  it('says a list longer than it takes alone, without an error for each of its items', () => {
    // 400,000 bad providers made 800,000 errors (3 s on the event loop), the length's own last of all.
    const result = validateConfig({ ...example(), providers: Array.from({ length: 400_000 }, () => ({})) });
    expect(result.ok ? [] : result.errors).toEqual([{ path: 'providers', message: 'has 400000 entries; at most 64 are allowed' }]);
    // Within the lengths, a file whose every item is wrong is told of each, the first first.
    const bad = validateConfig({ ...example(), deployments: Array.from({ length: 512 }, () => ({ name: 1, provider: 2, model: 3, zz: 4 })) });
    expect(bad.ok ? [] : bad.errors.slice(0, 2)).toEqual([{ path: 'deployments[0].zz', message: 'is not a known field' }, { path: 'deployments[0].name', message: 'must be string (got 1)' }]);
  });

  it('rejects what is not an object at all', () => {
    const result = validateConfig('nope');
    expect(result.ok).toBe(false);
  });
});

describe('defaultConfig', () => {
  it('puts installed local models first and OpenAI last when a key is set, and validates', () => {
    const config = defaultConfig({ env: { OPENAI_API_KEY: 'sk-x', OLLAMA_HOST: '0.0.0.0:11500' }, installedOllamaModels: ['qwen2.5:7b', 'nomic-embed-text'] });
    expect(validateConfig(config).ok).toBe(true);
    expect(config.providers).toEqual([
      { name: 'ollama', kind: 'ollama', baseUrl: 'http://127.0.0.1:11500' },
      { name: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'env:OPENAI_API_KEY' },
    ]);
    expect(config.routes).toEqual([
      { name: 'default', deployments: ['qwen2.5:7b', 'gpt-4.1-mini'] },
      { name: 'embed', deployments: ['nomic-embed-text', 'text-embedding-3-small'] },
    ]);
    expect(JSON.stringify(config)).not.toContain('sk-x');
  });

  it('adds Anthropic after OpenAI when its key is set, at Anthropic itself (ANTHROPIC_BASE_URL points Claude Code at the gateway)', () => {
    const config = defaultConfig({ env: { OPENAI_API_KEY: 'sk-x', ANTHROPIC_API_KEY: 'sk-ant-x', ANTHROPIC_BASE_URL: 'http://127.0.0.1:7788' }, installedOllamaModels: ['qwen2.5:7b'] });
    expect(validateConfig(config).ok).toBe(true);
    expect(config.providers.at(-1)).toEqual({ name: 'anthropic', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', apiKey: 'env:ANTHROPIC_API_KEY' });
    expect(config.routes[0]).toEqual({ name: 'default', deployments: ['qwen2.5:7b', 'gpt-4.1-mini', 'claude-haiku-5-5'] });
    expect(JSON.stringify(config)).not.toContain('sk-ant-x');
    expect(defaultConfig({ env: { ANTHROPIC_API_KEY: 'sk-ant-x' } }).routes).toEqual([{ name: 'default', deployments: ['llama3.2', 'claude-haiku-5-5'] }]);
  });

  it("adds Gemini last when its key is set, at Google's OpenAI compatibility layer, priced by the price table", () => {
    const config = defaultConfig({ env: { GEMINI_API_KEY: 'AIza-x', ANTHROPIC_API_KEY: 'sk-ant-x' } });
    expect(validateConfig(config).ok).toBe(true);
    expect(config.providers.at(-1)).toEqual({ name: 'gemini', kind: 'openai', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai', apiKey: 'env:GEMINI_API_KEY' });
    expect(config.routes).toEqual([{ name: 'default', deployments: ['llama3.2', 'claude-haiku-5-5', 'gemini-3.5-flash'] }]);
    const gemini = config.deployments.find((d) => d.name === 'gemini-3.5-flash')!;
    expect(priceOf(gemini, config.providers.at(-1))).toMatchObject({ source: 'price table', inputPerMTok: expect.any(Number) });
    expect(JSON.stringify(config)).not.toContain('AIza-x');
  });

  it('works with nothing: a local default model and a default route', () => {
    const config = defaultConfig({ env: {} });
    expect(validateConfig(config).ok).toBe(true);
    expect(config.routes).toEqual([{ name: 'default', deployments: ['llama3.2'] }]);
  });

  it('on a first start that had to guess its local model, says so (without the password an OLLAMA_HOST may carry)', async () => {
    const dir = tempDir();
    const db = openDatabase(dir.path);
    try {
      const { config, notices } = await startingConfig(createConfigStore(db), undefined, { OLLAMA_HOST: 'http://me:s3cret@127.0.0.1:9' }, true);
      expect(config.routes).toEqual([{ name: 'default', deployments: ['llama3.2'] }]);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/^no Ollama answered at http:\/\/127\.0\.0\.1:9, so the default route guesses the model "llama3\.2"/);
      expect(notices.join()).not.toContain('s3cret');
      // Started again: the stored config is used, and nothing is said.
      expect((await startingConfig(createConfigStore(db), undefined, {}, true)).notices).toEqual([]);
    } finally {
      db.close();
      dir.remove();
    }
  });

  it('reads OLLAMA_HOST as the Ollama CLI does', () => {
    expect(ollamaUrlFromEnv({})).toBe('http://127.0.0.1:11434');
    expect(ollamaUrlFromEnv({ OLLAMA_HOST: 'gpu-box' })).toBe('http://gpu-box:11434');
    expect(ollamaUrlFromEnv({ OLLAMA_HOST: 'https://ollama.example.com' })).toBe('https://ollama.example.com');
    expect(ollamaUrlFromEnv({ OLLAMA_HOST: '0.0.0.0' })).toBe('http://127.0.0.1:11434');
    expect(ollamaUrlFromEnv({ OLLAMA_HOST: 'http://me:s3cret@gpu-box:11434' })).toBe('http://gpu-box:11434');
  });
});
