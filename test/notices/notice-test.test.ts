/**
 * Settings' notices over the admin API: "Send a test notice" (`POST /admin/api/notices/test`) posts
 * one where the next notice would go and says whether it arrived, in words; a webhook URL pasted in
 * (`PUT /admin/api/notices/webhook`) is kept by the secret store and named in the settings by
 * reference, never shown again beyond its host; settings name an `env:` variable instead, or nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEncryptedSecrets, type Cipher } from '../../electron/main/secrets';
import { startFakeServer, type FakeServer } from '../support/fake-server';
import { startGateway, tempDir, twoTierConfig, type Harness } from '../support/harness';
import type { GatewayOptions } from '../../gateway/server';

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

const config = () => twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: 'http://127.0.0.1:9' });
async function receiver(status = 200): Promise<FakeServer> {
  const hook = await startFakeServer((_request, res) => void res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no_service'));
  running.push(hook);
  return hook;
}
async function gateway(options: Partial<GatewayOptions> = {}): Promise<Harness> {
  const h = await startGateway(config(), options);
  running.push(h);
  return h;
}
const test_ = (h: Harness) => h.admin('/admin/api/notices/test', { method: 'POST' });
const notices = async (h: Harness) => (await (await h.admin('/admin/api/settings')).json()).server.notices;

describe('a test notice', () => {
  it('is posted to the webhook the gateway was started with, and says it arrived, or what the receiver answered', async () => {
    const hook = await receiver();
    const h = await gateway({ env: { SWITCHYARD_WEBHOOK_URL: `${hook.url}/services/T1/B2/secret` } });
    const res = await test_(h);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ delivered: true, message: `Posted a test notice to the webhook at ${new URL(hook.url).host}` });
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]).toMatchObject({ method: 'POST', path: '/services/T1/B2/secret', body: { title: 'a test notice', source: 'switchyard' } });
    expect(await notices(h)).toEqual({ desktop: false, webhookHost: new URL(hook.url).host, webhookFrom: 'environment', webhookProblem: null, webhookWarning: null });
    // The admin API's session is needed, as for every route it declares.
    expect((await fetch(`${h.url}/admin/api/notices/test`, { method: 'POST' })).status).toBe(401);
    expect(hook.requests).toHaveLength(1);

    const gone = await receiver(404);
    const revoked = await gateway({ env: { SWITCHYARD_WEBHOOK_URL: `${gone.url}/services/T1/B2/secret` } });
    const answer = await (await test_(revoked)).json();
    expect(answer).toEqual({ delivered: false, message: `Not delivered: the webhook at ${new URL(gone.url).host} answered 404 to "a test notice"` });
    expect(JSON.stringify(answer)).not.toContain('secret');
  });

  it('says how to set a webhook up when none is set', async () => {
    const res = await test_(await gateway());
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toBe(
      "No webhook is set: paste a chat's incoming webhook URL in Settings (the desktop app), name one in the settings as env:NAME, or start the gateway with SWITCHYARD_WEBHOOK_URL set",
    );
  });
});

describe('a webhook named in the settings', () => {
  it('as env:NAME is posted to instead of SWITCHYARD_WEBHOOK_URL, and says so when the variable is not set', async () => {
    const started = await receiver();
    const named = await receiver();
    const h = await gateway({ env: { SWITCHYARD_WEBHOOK_URL: `${started.url}/a`, TEAM_HOOK: `${named.url}/b` } });
    const patch = (webhook: string | null) => h.admin('/admin/api/settings', { method: 'PATCH', body: JSON.stringify({ settings: { notices: { webhook } } }) });
    expect((await patch('env:TEAM_HOOK')).status).toBe(200);
    expect(await notices(h)).toMatchObject({ webhookHost: new URL(named.url).host, webhookFrom: 'settings', webhookProblem: null });
    h.gateway.webhook.send({ title: 'local is down', body: 'x' });
    await expect.poll(() => named.requests.length).toBe(1);
    expect(started.requests).toHaveLength(0);

    expect((await patch('env:NOT_SET')).status).toBe(200);
    expect(await notices(h)).toMatchObject({ webhookHost: null, webhookFrom: 'settings', webhookProblem: "NOT_SET, which the settings name, is not set in the gateway's environment" });
    expect(await (await test_(h)).json()).toEqual({ delivered: false, message: "Not delivered: NOT_SET, which the settings name, is not set in the gateway's environment" });
    // Removed, the variable the gateway started with is used again.
    expect((await patch(null)).status).toBe(200);
    expect(await notices(h)).toMatchObject({ webhookHost: new URL(started.url).host, webhookFrom: 'environment' });
    // Only references: a URL written in the settings would be the channel's secret in every export.
    const refused = await patch(`${named.url}/b`);
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toContain('env:NAME');
  });

  it('pasted in, is kept by the key store and named by reference, its host alone shown; a new one replaces it, and removed, it is deleted', async () => {
    const first = await receiver();
    const second = await receiver();
    const dir = tempDir();
    running.push({ stop: async () => dir.remove() });
    const secrets = await createEncryptedSecrets({ cipher: reversing, file: join(dir.path, 'secrets.json'), env: {} });
    const h = await gateway({ secrets });
    const paste = (url: string) => h.admin('/admin/api/notices/webhook', { method: 'PUT', body: JSON.stringify({ url }) });

    const saved = await paste(`  ${first.url}/services/T1/B2/secret  `);
    expect(saved.status).toBe(200);
    expect((await saved.json()).settings.notices).toEqual({ webhook: 'secret:#webhook' });
    expect(await notices(h)).toEqual({ desktop: false, webhookHost: new URL(first.url).host, webhookFrom: 'settings', webhookProblem: null, webhookWarning: null });
    for (const path of ['/admin/api/settings', '/admin/api/config', '/admin/api/config/revisions']) expect(await (await h.admin(path)).text(), path).not.toContain('/services/T1');
    expect((await (await test_(h)).json()).delivered).toBe(true);
    expect(first.requests.map((r) => r.path)).toEqual(['/services/T1/B2/secret']);

    // Another URL pasted, with the .env line it was copied from: the next notice goes there.
    expect((await paste(`SWITCHYARD_WEBHOOK_URL="${second.url}/hooks/other"`)).status).toBe(200);
    h.gateway.webhook.send({ title: 'local is down', body: 'x' });
    await expect.poll(() => second.requests.length).toBe(1);
    expect(first.requests).toHaveLength(1);

    // A URL no chat gives is refused, and the one kept stays.
    for (const [url, words] of [['hooks.slack.com/services/x', 'The webhook URL is not a URL'], ['ftp://hooks.example.com/x', 'must be an http or https URL'], ['https://user:pw@hooks.example.com/x', 'must not carry a user name or password']]) {
      const res = await paste(url as string);
      expect(res.status, url).toBe(400);
      expect((await res.json()).error, url).toMatchObject({ param: 'url', message: expect.stringContaining(words as string) });
    }
    expect((await notices(h)).webhookHost).toBe(new URL(second.url).host);

    // Removed: out of the settings, and out of the key store's file.
    expect((await h.admin('/admin/api/notices/webhook', { method: 'DELETE' })).status).toBe(200);
    expect(await notices(h)).toMatchObject({ webhookHost: null, webhookFrom: null });
    expect((await test_(h)).status).toBe(404);
    expect(secrets.resolve('secret:#webhook')).toBeUndefined();
    expect(Object.keys(JSON.parse(readFileSync(join(dir.path, 'secrets.json'), 'utf8')))).toEqual([]);
  });

  it("pasted in a desktop app, and read by a gateway without that app's key store, says so and what to do", async () => {
    const h = await startGateway({ ...config(), settings: { notices: { webhook: 'secret:#webhook' } } });
    running.push(h);
    expect(await notices(h)).toMatchObject({
      webhookHost: null,
      webhookFrom: 'settings',
      webhookProblem: "the URL pasted in the desktop app's Settings is not in this gateway's key store (a gateway without the app's store, or a keyring that could not be read): paste it again in Settings",
    });
  });

  it('is refused pasted in where secrets come from the environment alone, saying how to name one', async () => {
    const h = await gateway();
    const res = await h.admin('/admin/api/notices/webhook', { method: 'PUT', body: JSON.stringify({ url: 'https://hooks.slack.com/services/T1/B2/secret' }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ param: 'url', message: expect.stringContaining('name it in the settings as env:NOTICES_WEBHOOK') });
    expect(await notices(h)).toMatchObject({ webhookFrom: null });
  });
});

/** Encryption for tests: reversible, and not the plain text. */
const reversing: Cipher = {
  available: async () => true,
  backend: () => 'gnome_libsecret',
  encrypt: async (text) => Buffer.from([...text].reverse().join('')),
  decrypt: async (data) => [...data.toString()].reverse().join(''),
};
