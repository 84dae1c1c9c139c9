/**
 * A headless gateway's notices: `serve` with SWITCHYARD_WEBHOOK_URL posts what the desktop app
 * would show (a provider down, back up) to a chat's incoming webhook, in the body that chat reads;
 * a redirect is never followed (the URL's path is the channel's secret); a URL that is not one stops
 * `serve` before it starts. `switchyard notices test` posts one now and says what the receiver answered.
 * A webhook the settings name (env:NAME) takes the variable's place, for all three.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWebhookUrl, webhookBody } from '../gateway/notices/webhook';
import { dir, run, runAsync, serve, useCliCleanups, writeJson } from './support/cli';
import { startFakeOllama } from './support/fake-ollama';
import { startFakeServer, type FakeServer } from './support/fake-server';

useCliCleanups();

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** A chat's incoming webhook: records each post and answers as Slack does (200, "ok"; a revoked one 404, "no_service"). */
async function receiver(): Promise<FakeServer> {
  const server = await startFakeServer((_request, res, mode) => void res.writeHead(mode.kind === 'status' ? mode.status : 200, { 'content-type': 'text/plain' }).end(mode.kind === 'status' ? String(mode.body) : 'ok'));
  servers.push(server);
  return server;
}

async function gatewayWith(webhookUrl: string, args: string[] = [], settings: Record<string, unknown> = {}, env: Record<string, string> = { SWITCHYARD_WEBHOOK_URL: webhookUrl }) {
  const ollama = await startFakeOllama();
  servers.push(ollama);
  const file = writeJson(join(dir(), 'switchyard.json'), {
    version: 1,
    providers: [{ name: 'local', kind: 'ollama', baseUrl: ollama.url, healthCheck: { intervalMs: 200 } }],
    deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b' }],
    routes: [{ name: 'default', deployments: ['llama'] }],
    settings,
  });
  const data = dir();
  const served = await serve(['--port', '0', '--data-dir', data, '--config', file, ...args], env);
  return { ollama, data, ...served };
}

describe('notices posted to a webhook', () => {
  it('posts a provider going down, once, and names only the host', async () => {
    const hook = await receiver();
    // As on a server: listening beyond loopback, where /health tells a caller without a key only the status.
    const { ollama, output } = await gatewayWith(`${hook.url}/hooks/T000/secret-path`, ['--host', '0.0.0.0']);
    expect(output()).toContain(`Notices:            posted to the webhook at 127.0.0.1:${hook.port}`);
    expect(output()).not.toContain('secret-path');
    // Settings says where they go, by host alone, to whoever logs in with the banner's link.
    const link = /Dashboard:\s+(\S+)/.exec(output())?.[1] ?? '';
    const cookie = (await fetch(link, { redirect: 'manual' })).headers.get('set-cookie')?.split(';')[0] ?? '';
    const settings = await (await fetch(new URL('/admin/api/settings', link), { headers: { cookie } })).json();
    expect(settings.server.notices).toEqual({ desktop: false, webhookHost: `127.0.0.1:${hook.port}`, webhookFrom: 'environment', webhookProblem: null, webhookWarning: null });
    // And its "Send a test notice" posts one through serve's own sender.
    const tried = await (await fetch(new URL('/admin/api/notices/test', link), { method: 'POST', headers: { cookie } })).json();
    expect(tried).toEqual({ delivered: true, message: `Posted a test notice to the webhook at 127.0.0.1:${hook.port}` });
    expect(hook.requests.map((r) => r.body?.title)).toEqual(['a test notice']);

    await ollama.setMode({ kind: 'refuse' });
    await expect.poll(() => hook.requests.map((r) => r.body?.title), { timeout: 10_000 }).toContain('local is down');

    const down = hook.requests.find((r) => r.body?.title === 'local is down');
    expect(down).toMatchObject({ method: 'POST', path: '/hooks/T000/secret-path', headers: expect.objectContaining({ 'content-type': 'application/json' }) });
    const body = "Route default has no other provider's deployment to fall back to: its requests fail until local is back.";
    expect(down?.body).toEqual({ text: `Switchyard: local is down. ${body}`, title: 'local is down', body, source: 'switchyard' });
    expect(hook.requests.filter((r) => r.body?.title === 'local is down')).toHaveLength(1);
    expect(output()).not.toContain('Notice not delivered');
  }, 30_000);

  it('posts to the webhook the settings name as env:NAME, from serve, `notices test` and `doctor` alike', async () => {
    const hook = await receiver();
    const env = { TEAM_HOOK: `${hook.url}/hooks/team` };
    const { ollama, output, data } = await gatewayWith('', [], { notices: { webhook: 'env:TEAM_HOOK' } }, env);
    expect(output()).toContain(`Notices:            posted to the webhook at 127.0.0.1:${hook.port}`);
    await ollama.setMode({ kind: 'refuse' });
    await expect.poll(() => hook.requests.map((r) => r.body?.title), { timeout: 10_000 }).toContain('local is down');
    const sent = await runAsync(['notices', 'test', '--data-dir', data], env);
    expect(sent).toMatchObject({ code: 0, stdout: `Posted a test notice to the webhook at 127.0.0.1:${hook.port}\n` });
    expect(hook.requests.at(-1)).toMatchObject({ path: '/hooks/team', body: { title: 'a test notice' } });
    const doctor = await runAsync(['doctor', '--data-dir', data], {});
    expect(doctor.stdout).toContain("[✗] Notices: TEAM_HOOK, which the settings name, is not set in the gateway's environment");
    expect((await runAsync(['doctor', '--data-dir', data], env)).stdout).toContain(`[✓] Notices: "switchyard serve" posts them to the webhook at 127.0.0.1:${hook.port} (named in the settings)`);
  }, 30_000);

  it('says a webhook pasted in the desktop app is for the app alone to post to', async () => {
    const data = dir();
    const file = writeJson(join(dir(), 'switchyard.json'), { version: 1, providers: [], deployments: [], routes: [], settings: { notices: { webhook: 'secret:#webhook' } } });
    expect(run(['import', file, '--data-dir', data]).code).toBe(0);
    expect(run(['notices', 'test', '--data-dir', data])).toMatchObject({ code: 1, stderr: expect.stringContaining("kept in its key store, which only the app can read: use \"Send a test notice\" there") });
    expect((await runAsync(['doctor', '--data-dir', data], {})).stdout).toContain("[!] Notices: posted to the webhook pasted in the desktop app's Settings, kept in its key store, which only the app can read");
  });

  it('prints each notice, webhook or none, as a server\'s journal shows it', async () => {
    const { ollama, output } = await gatewayWith('', [], {}, {});
    await ollama.setMode({ kind: 'refuse' });
    await expect.poll(output, { timeout: 10_000 }).toContain("Notice: local is down. Route default has no other provider's deployment to fall back to: its requests fail until local is back.\n");
    expect(output()).not.toContain('Notice not delivered');
  }, 30_000);

  it('does not follow a redirect, and says the notice was not delivered', async () => {
    const elsewhere = await receiver();
    const hook = await receiver();
    await hook.setMode({ kind: 'redirect', location: elsewhere.url });
    const { ollama, output } = await gatewayWith(`${hook.url}/hooks/secret-path`);
    await ollama.setMode({ kind: 'refuse' });
    await expect.poll(output, { timeout: 10_000 }).toContain(`Notice not delivered: the webhook at 127.0.0.1:${hook.port} answered 302 to "local is down"`);
    expect(hook.requests.length).toBeGreaterThan(0);
    expect(elsewhere.requests).toEqual([]);
  }, 30_000);

  it('refuses to start with a webhook that is not an http URL', () => {
    for (const [value, message] of [
      ['hooks.slack.com/services/x', 'SWITCHYARD_WEBHOOK_URL is not a URL'],
      ['ftp://example.com/hook', 'SWITCHYARD_WEBHOOK_URL must be an http or https URL, not ftp:'],
      ['https://user:pw@example.com/hook', 'SWITCHYARD_WEBHOOK_URL must not carry a user name or password'],
    ] as const) {
      const result = run(['serve', '--port', '0', '--data-dir', dir()], { SWITCHYARD_WEBHOOK_URL: value });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toContain('pw@');
    }
  });

  it('posts a test notice on demand, and says why when it did not arrive', async () => {
    const hook = await receiver();
    const sent = await runAsync(['notices', 'test'], { SWITCHYARD_WEBHOOK_URL: `${hook.url}/hooks/secret-path` });
    expect(sent).toMatchObject({ code: 0, stdout: `Posted a test notice to the webhook at 127.0.0.1:${hook.port}\n` });
    expect(hook.requests).toMatchObject([{ method: 'POST', path: '/hooks/secret-path', body: { title: 'a test notice', text: 'Switchyard: a test notice. Notices from this gateway reach this channel.' } }]);

    await hook.setMode({ kind: 'status', status: 404, body: 'no_service' });
    const refused = await runAsync(['notices', 'test'], { SWITCHYARD_WEBHOOK_URL: `${hook.url}/hooks/revoked` });
    expect(refused).toMatchObject({ code: 1, stderr: `Not delivered: the webhook at 127.0.0.1:${hook.port} answered 404 to "a test notice"\n` });
    expect(run(['notices', 'test'])).toMatchObject({ code: 1, stderr: expect.stringContaining('SWITCHYARD_WEBHOOK_URL is not set') });
    expect(run(['notices'])).toMatchObject({ code: 2, stderr: expect.stringContaining('the one subcommand is "test"') });
  });

  it('tries a post the receiver could not take once more, a few seconds later', async () => {
    // A chat's hiccup: its first answer a 503, then it takes posts again.
    const hook = await startFakeServer((_request, res) => void res.writeHead(hook.requests.length === 1 ? 503 : 200).end());
    servers.push(hook);
    const sent = await runAsync(['notices', 'test'], { SWITCHYARD_WEBHOOK_URL: `${hook.url}/hooks/x` });
    expect(sent).toMatchObject({ code: 0, stdout: `Posted a test notice to the webhook at 127.0.0.1:${hook.port}\n` });
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests[1]!.at - hook.requests[0]!.at).toBeGreaterThanOrEqual(2_900);
  });

  it('warns of a webhook on the internet reached over plain http, whose secret path would cross it in clear', async () => {
    const warning = 'SWITCHYARD_WEBHOOK_URL is http, not https: its path, which is the channel\'s secret, would cross the internet in clear';
    const data = dir();
    const { child, output } = await serve(['--port', '0', '--data-dir', data], { SWITCHYARD_WEBHOOK_URL: 'http://chat.example.com/hooks/secret' });
    // Stopped at once: its first read only notes each provider, so nothing is ever posted beyond this machine.
    child.kill('SIGTERM');
    // 'close', not 'exit': the pipes may still hold the last of its output when the process has ended.
    await new Promise((resolve) => child.once('close', resolve));
    expect(output()).toContain(`Warning: ${warning}`);
    expect(output()).not.toContain('/hooks/secret');
    const doctor = await runAsync(['doctor', '--data-dir', data], { SWITCHYARD_WEBHOOK_URL: 'http://chat.example.com/hooks/secret' });
    expect(doctor.stdout).toContain(`[!] Notices: "switchyard serve" posts them to the webhook at chat.example.com; but ${warning}`);
    // On this machine or its network, plain http is what such a chat often speaks: no warning.
    expect(parseWebhookUrl('http://mattermost.lan/hooks/x')).toEqual({ ok: true, url: new URL('http://mattermost.lan/hooks/x') });
  });

  it('writes the body each chat reads: Slack text, Discord content, anything else both parts', () => {
    const notice = { title: 'cloud is down', body: 'Requests go to the next deployment of each route.' };
    expect(webhookBody(new URL('https://hooks.slack.com/services/T/B/x'), notice)).toEqual({ text: 'Switchyard: cloud is down. Requests go to the next deployment of each route.' });
    expect(webhookBody(new URL('https://discord.com/api/webhooks/1/x'), notice)).toEqual({ content: 'Switchyard: cloud is down. Requests go to the next deployment of each route.' });
    expect(webhookBody(new URL('https://chat.example.com/hooks/x'), notice)).toMatchObject({ text: expect.stringContaining('cloud is down'), title: notice.title, body: notice.body });
    expect(webhookBody(new URL('https://discord.com/api/webhooks/1/x'), { title: 'x', body: 'y'.repeat(5000) }).content).toHaveLength(2000);
  });
});
