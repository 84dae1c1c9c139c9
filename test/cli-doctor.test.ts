/**
 * `switchyard doctor` against real upstreams on loopback, no gateway running: each provider asked
 * as the gateway's probes ask it, a key that is not set, a server that does not answer, a model its
 * Ollama lacks and a route none of whose deployments can answer, each said with what to do; exit 1
 * until nothing needs doing, then 0.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Config } from '../gateway/config/schema';
import { createConfigStore } from '../gateway/store/config-store';
import { openDatabase } from '../gateway/store/db';
import { columnValues } from '../gateway/store/usage-columns';
import { createUsageLog } from '../gateway/store/usage-log';
import { usageRow } from './support/usage-log';
import { startFakeOllama } from './support/fake-ollama';
import { startFakeOpenAI } from './support/fake-openai';
import { dir, freePort, onCleanup, run, runAsync, serve, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

it('says what stands between the config and answered requests, and what to do about each', async () => {
  const [ollama, openai] = await Promise.all([startFakeOllama({ models: ['llama3.2:3b', 'qwen3:4b'] }), startFakeOpenAI()]);
  onCleanup(() => Promise.all([ollama.stop(), openai.stop()]).then(() => undefined));
  const dead = await freePort();
  const data = dir();
  const config = (key: string) => ({
    version: 1,
    providers: [
      { name: 'local', kind: 'ollama', baseUrl: ollama.url },
      { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: `env:${key}` },
      { name: 'gone', kind: 'openai', baseUrl: `http://127.0.0.1:${dead}/v1` },
      { name: 'desk', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'secret:desk' },
      // Azure's classic API takes its key in a header: a header's key the app keeps is said alike.
      { name: 'azure', kind: 'openai', baseUrl: `${openai.url}/v1`, headers: { 'api-key': 'secret:azure' } },
    ],
    deployments: [
      { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
      { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
      { name: 'far', provider: 'gone', model: 'm' },
    ],
    routes: [
      { name: 'default', deployments: ['llama', 'mini'] },
      { name: 'stuck', deployments: ['qwen', 'far'] },
    ],
  });
  expect(run(['import', writeJson(join(dir(), 'c.json'), config('DOCTOR_KEY')), '--data-dir', data]).code).toBe(0);
  const home = dir();
  const checked = await runAsync(['doctor', '--data-dir', data], { HOME: home });
  expect(checked.code).toBe(1);
  const lines = checked.stdout.trimEnd().split('\n');
  expect(lines).toContain('[✓] Config: 5 providers, 4 deployments, 2 routes');
  expect(lines).toContain('[!] No gateway serves this data dir: "switchyard serve" starts one (at http://127.0.0.1:7788)');
  expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\[✓\\] local \\(${ollama.url}\\) answers in \\d+ ms, 2 models listed$`)));
  expect(lines).toContainEqual(expect.stringMatching(/^\[✗\] cloud \(.+\): .*DOCTOR_KEY/));
  // Its name once: the upstream error's own "gone: " prefix is not said again.
  expect(lines).toContainEqual(`[✗] gone (http://127.0.0.1:${dead}/v1): does not answer: connection failed (ECONNREFUSED)`);
  // A key the desktop app keeps in the keychain is not the CLI's to read: said, not counted.
  expect(lines).toContain(`[!] desk (${openai.url}/v1): its key is kept by the desktop app, in this system's keychain: only the app sends it (its Test connection checks it)`);
  expect(lines).toContain(`[!] azure (${openai.url}/v1): its key is kept by the desktop app, in this system's keychain: only the app sends it (its Test connection checks it)`);
  expect(lines).toContain('[✗] qwen: qwen3:8b is not installed on local (it has qwen3:4b: the one meant? then make it the deployment\'s model): "switchyard pull qwen" downloads it');
  expect(lines).toContain('[✓] Route default: llama can answer now');
  expect(lines).toContain('[✗] Route stuck: none of qwen, far can answer now (see above)');
  expect(lines).toContain('[!] Claude Code: no settings file yet: "switchyard connect claude-code" writes one');
  expect(lines.at(-1)).toBe('4 things to do.');

  // The key set, the dead provider and the missing model out of the config: nothing needs doing.
  const healthy = config('DOCTOR_KEY');
  healthy.providers.splice(2, 2);
  healthy.deployments.splice(1, 1);
  healthy.deployments.pop();
  healthy.routes.pop();
  expect(run(['import', writeJson(join(dir(), 'ok.json'), healthy), '--data-dir', data]).code).toBe(0);
  const fine = await runAsync(['doctor', '--data-dir', data], { HOME: home, DOCTOR_KEY: 'sk-test' });
  expect(fine.stdout).toContain('[✓] Route default: llama, mini can answer now');
  expect(fine).toMatchObject({ code: 0, stdout: expect.stringMatching(/Nothing needs doing\.\n$/) });
  expect(fine.stdout).not.toContain('Notices');
  // Codex asking for a route the config has no more (renamed since): counted, with what to do.
  writeFileSync(join(home, 'config.toml'), `model_provider = "switchyard"\nmodel = "stuck"\n\n[model_providers.switchyard]\nbase_url = "http://127.0.0.1:7788/v1"\n`);
  const lost = await runAsync(['doctor', '--data-dir', data], { HOME: home, DOCTOR_KEY: 'sk-test', CODEX_HOME: home });
  expect(lost).toMatchObject({ code: 1, stdout: expect.stringContaining('[✗] Codex CLI: this gateway, asking for stuck, which is no route, deployment or alias here (renamed or deleted?), so each of its requests is refused: "switchyard connect codex" points it at a route (--route NAME for another)\n') });
  rmSync(join(home, 'config.toml'));

  // The webhook serve's notices would go to: its host only (the path is the channel's secret), or why serve would refuse it.
  const hooked = await runAsync(['doctor', '--data-dir', data], { HOME: home, DOCTOR_KEY: 'sk-test', SWITCHYARD_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/secret' });
  expect(hooked.stdout).toContain('[✓] Notices: "switchyard serve" posts them to the webhook at hooks.slack.com\n');
  expect(hooked.stdout).not.toContain('secret');
  const broken = await runAsync(['doctor', '--data-dir', data], { HOME: home, DOCTOR_KEY: 'sk-test', SWITCHYARD_WEBHOOK_URL: 'hooks.slack.com/services/x' });
  expect(broken).toMatchObject({ code: 1, stdout: expect.stringContaining('[✗] SWITCHYARD_WEBHOOK_URL is not a URL: "switchyard serve" will not start with it\n') });
});

/** A data dir whose one provider's key is DOCTOR_KEY, an OpenAI fake behind it. */
async function cloudBehindKey(provider: Record<string, unknown> = {}) {
  const openai = await startFakeOpenAI();
  onCleanup(() => openai.stop());
  const data = dir();
  const config = {
    version: 1,
    providers: [{ name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:DOCTOR_KEY', ...provider }],
    deployments: [{ name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' }],
    routes: [{ name: 'default', deployments: ['mini'] }],
  };
  expect(run(['import', writeJson(join(dir(), 'c.json'), config), '--data-dir', data]).code).toBe(0);
  return { openai, data };
}

it("judges a provider's key by the gateway serving the data dir, not by this shell's environment", async () => {
  const { openai, data } = await cloudBehindKey();
  const home = dir();
  const started = async (env: Record<string, string>) => {
    const gateway = await serve(['--port', String(await freePort()), '--data-dir', data], env);
    const origin = new URL(gateway.baseUrl).origin;
    // Until its first probe of the provider is in: the report doctor reads.
    await expect.poll(async () => ((await (await fetch(`${origin}/health`)).json()) as { providers: { status: string; probe: unknown }[] }).providers[0], { timeout: 10_000 }).toSatisfy((p) => p.status === 'unavailable' || p.probe !== null);
    return gateway;
  };

  // Started where the key is set; doctor run from a shell without it.
  const keyed = await started({ DOCTOR_KEY: 'sk-test' });
  const fromBareShell = await runAsync(['doctor', '--data-dir', data], { HOME: home });
  expect(fromBareShell.stdout).toMatch(new RegExp(`^\\[✓\\] cloud \\(${openai.url}/v1\\) answered the gateway's probe \\d+ s ago in \\d+ ms, 1 model listed \\(with the gateway's key: this shell has no DOCTOR_KEY\\)$`, 'm'));
  expect(fromBareShell.stdout).toContain('[✓] Route default: mini can answer now\n');
  expect(fromBareShell.code).toBe(0);
  keyed.child.kill('SIGTERM');
  await new Promise((resolve) => keyed.child.once('exit', resolve));

  // Started where the key is not set (an app opened from the desktop, say); doctor run from a shell with it.
  await started({});
  const fromKeyedShell = await runAsync(['doctor', '--data-dir', data], { HOME: home, DOCTOR_KEY: 'sk-test' });
  expect(fromKeyedShell.stdout).toContain(`[✗] cloud (${openai.url}/v1): the gateway serving this data dir cannot use it: its API key DOCTOR_KEY is not set; this shell has DOCTOR_KEY, the gateway's environment did not when it started: restart it where DOCTOR_KEY is set\n`);
  expect(fromKeyedShell.stdout).toContain('[✗] Route default: none of mini can answer now (see above)\n');
  expect(fromKeyedShell.code).toBe(1);
});

it("judges a provider whose probes are off by the gateway's last request to it, not by a probe that never comes", async () => {
  const { openai, data } = await cloudBehindKey({ healthCheck: { intervalMs: 0 } });
  const gateway = await serve(['--port', String(await freePort()), '--data-dir', data], { DOCTOR_KEY: 'sk-test' });
  const doctor = () => runAsync(['doctor', '--data-dir', data], { HOME: dir() });
  expect((await doctor()).stdout).toContain(`[!] cloud (${openai.url}/v1): its key is the gateway's, its probes are off (healthCheck.intervalMs 0) and no request has gone to it yet: its Test connection (Providers page) checks it\n`);
  expect((await fetch(`${gateway.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }) })).status).toBe(200);
  const answered = await doctor();
  expect(answered.stdout).toMatch(new RegExp(`^\\[✓\\] cloud \\(${openai.url}/v1\\) answered the gateway's last request \\d+ s ago in \\d+ ms \\(its probes are off; with the gateway's key: this shell has no DOCTOR_KEY\\)$`, 'm'));
  expect(answered.stdout).toContain('[✓] Route default: mini can answer now\n');
  expect(answered.stdout).not.toContain('again in a minute');
});

it('asks a gateway open to the network for its view of the keys with a client key, and says when it was not given one', async () => {
  const { data } = await cloudBehindKey();
  const key = run(['keys', 'create', 'ops', '--data-dir', data]).stdout.trim();
  expect(key).toMatch(/^sy-/);
  const gateway = await serve(['--port', String(await freePort()), '--host', '0.0.0.0', '--data-dir', data], { DOCTOR_KEY: 'sk-test' });
  const health = `${new URL(gateway.baseUrl).origin.replace('0.0.0.0', '127.0.0.1')}/health`;
  await expect.poll(async () => ((await (await fetch(health, { headers: { authorization: `Bearer ${key}` } })).json()) as { providers: { probe: unknown }[] }).providers[0]?.probe, { timeout: 10_000 }).not.toBeNull();

  const unkeyed = await runAsync(['doctor', '--data-dir', data], { HOME: dir() });
  expect(unkeyed.stdout).toContain("[!] The gateway listens beyond this machine, so what it says of its providers' keys needs a client key (--key KEY): the keys below are this shell's\n");
  expect(unkeyed.stdout).toMatch(/^\[✗\] cloud \(.+\): its API key DOCTOR_KEY is not set$/m);
  const keyed = await runAsync(['doctor', '--data-dir', data, '--key', key], { HOME: dir() });
  expect(keyed.stdout).not.toContain('listens beyond this machine');
  expect(keyed.stdout).toMatch(/^\[✓\] cloud \(.+\) answered the gateway's probe \d+ s ago in \d+ ms, 1 model listed \(with the gateway's key: this shell has no DOCTOR_KEY\)$/m);
});

it('says what an earlier version let into the stored config that this one refuses', async () => {
  const data = dir();
  const db = openDatabase(data);
  // As an earlier version stored it: an endpoint's address pasted as the base URL.
  createConfigStore(db).save({ version: 1, providers: [{ name: 'cloud', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1/chat/completions' }], deployments: [{ name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' }], routes: [{ name: 'default', deployments: ['mini'] }] } as Config, 'an earlier version');
  db.close();
  const checked = await runAsync(['doctor', '--data-dir', data], { HOME: dir() });
  expect(checked.code).toBe(1);
  expect(checked.stdout).toContain('[✗] providers[0].baseUrl: "http://127.0.0.1:9/v1/chat/completions" ends in "/chat/completions", which each request adds to the base URL itself: did you mean "http://127.0.0.1:9/v1"? (the stored config runs as it is, but each change to it is refused until this is mended)\n');
});

it("says where usage rows wait outside the log: rows a replay refused, and a journal no replay could read", async () => {
  const data = dir();
  const db = openDatabase(data);
  createConfigStore(db).save({ version: 1, providers: [{ name: 'cloud', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' }], deployments: [{ name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' }], routes: [{ name: 'default', deployments: ['mini'] }] } as Config, 'a test');
  // A dead process's journal (pids past Linux's largest) with two rows the table refuses and one it takes: the log's replay sets the two aside.
  const refused = (id: string) => JSON.stringify(columnValues(usageRow({ id, at: 1_764_000_000_000, endpoint: null as unknown as string })));
  writeFileSync(join(data, 'usage-journal-4194400-0000dead.ndjson'), [refused('a'), JSON.stringify(columnValues(usageRow({ id: 'b', at: 1_764_000_000_000 }))), refused('c')].join('\n'));
  createUsageLog(db, undefined, () => undefined);
  db.close();
  // One a replay left (its claimant dead), and one a live process is replaying now.
  writeFileSync(join(data, 'usage-journal-4194500-0000beef.replaying'), '');
  writeFileSync(join(data, `usage-journal-${process.pid}-0000cafe.replaying`), '');
  const checked = await runAsync(['doctor', '--data-dir', data], { HOME: dir() });
  expect(checked.stdout).toMatch(new RegExp(`^\\[!\\] 2 usage rows a crashed gateway left, which the usage log refused, are set aside in ${data}/usage-refused-4194400-[0-9a-f]{8}\\.ndjson: not in the usage log \\(look, then delete the file\\)$`, 'm'));
  expect(checked.stdout).toContain(`[!] A usage journal could not be replayed into the usage log: ${join(data, 'usage-journal-4194500-0000beef.replaying')} (its rows are not in the log yet; "switchyard serve" tries it again at its start, and says why)\n`);
  expect(checked.stdout).not.toContain('0000cafe');
});
