/**
 * What was config-file only, set from the dashboard's forms in a real browser: how long Ollama keeps
 * a deployment's model in memory, its options and thinking, and what the model can do; where a
 * provider runs, which APIs its server serves itself, its capacity, timeouts and probes, and its
 * headers. Each goes back to its default when emptied or unticked, what the config would refuse is
 * said under its field, and the gateway acts on what was saved.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders);
beforeAll(() => dashboard.logIn());

describe("a deployment's form", () => {
  it("sets how long an Ollama deployment's model stays in memory, refusing what Ollama would not read", async () => {
    const { h } = dashboard;
    const form = await dashboard.editDeployment('llama');
    const field = form.getByLabel('Keep in memory after use');
    expect(await field.inputValue()).toBe(String(h.gateway.config().deployments.find((d) => d.name === 'llama')?.keepAlive ?? ''));
    await field.fill('30 minutes');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('"30 minutes" is not a time Ollama reads').waitFor();
    await field.fill('-1');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => h.gateway.config().deployments.find((d) => d.name === 'llama')?.keepAlive).toBe('-1');
  });

  it("says what a deployment's model can do where its provider reports it wrong, and goes back to what it reports", async () => {
    const { h } = dashboard;
    const llama = () => h.gateway.config().deployments.find((d) => d.name === 'llama');
    const open = () => dashboard.editDeployment('llama');
    let form = await open();
    const say = form.getByRole('checkbox', { name: /^Say what its model can do/ });
    expect(await say.isChecked()).toBe(false);
    await say.check();
    const group = form.getByRole('group', { name: 'What its model can do' });
    await group.getByRole('checkbox', { name: 'images' }).check();
    await group.getByRole('checkbox', { name: 'tools' }).uncheck();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => llama()?.capabilities).toEqual(expect.arrayContaining(['vision']));
    expect(llama()?.capabilities).not.toContain('tools');

    form = await open();
    expect(await form.getByRole('group', { name: 'What its model can do' }).getByRole('checkbox', { name: 'images' }).isChecked()).toBe(true);
    await form.getByRole('checkbox', { name: /^Say what its model can do/ }).uncheck();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => llama()).not.toHaveProperty('capabilities');
  });
  it("sets an Ollama deployment's options and thinking, which its requests run with, refusing text that is no JSON object", async () => {
    const { h } = dashboard;
    const llama = () => h.gateway.config().deployments.find((d) => d.name === 'llama');
    const form = await dashboard.editDeployment('llama');
    const options = form.getByLabel('Ollama options');
    await options.fill('{"num_ctx": 16384,}');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText(/^not JSON: /).waitFor();
    await options.fill('[16384]');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('must be one JSON object, e.g. {"num_ctx": 16384}').waitFor();
    expect(llama()).not.toHaveProperty('options');
    await options.fill('{"num_ctx": 16384, "temperature": 0.2}');
    await form.getByLabel('Thinking when a request does not say').selectOption({ label: 'off' });
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    expect(llama()).toMatchObject({ options: { num_ctx: 16384, temperature: 0.2 }, think: false });
    await h.openai.chat.completions.create({ model: 'llama', messages: [{ role: 'user', content: 'hi' }] });
    const sent = dashboard.ollama.requests.filter((r) => r.path === '/api/chat').at(-1)?.body;
    expect(sent).toMatchObject({ options: { num_ctx: 16384, temperature: 0.2 }, think: false });
  });
  it("sets a deployment's long-context prices, its size and both prices together", async () => {
    const { h } = dashboard;
    const mini = () => h.gateway.config().deployments.find((d) => d.name === 'mini');
    const form = await dashboard.editDeployment('mini');
    await form.getByLabel('Input price').fill('1.25');
    await form.getByLabel('Output price').fill('10');
    await form.getByText('Long-context prices').click();
    await form.getByLabel('Long prompts from').fill('200000');
    await form.getByLabel('Long prompts: $ in').fill('2.5');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('give the size and both prices for long prompts, or none').waitFor();
    expect(mini()?.pricing).toBeUndefined();
    await form.getByLabel('Long prompts: $ out').fill('15');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    expect(mini()?.pricing).toEqual({ inputPerMTok: 1.25, outputPerMTok: 10, longContext: { aboveTokens: 200_000, inputPerMTok: 2.5, outputPerMTok: 15 } });
  });
  it('adds a route rule of several traits at once, which a request must all have', async () => {
    const { h, page } = dashboard;
    expect((await h.admin('/admin/api/routes', { method: 'POST', body: JSON.stringify({ name: 'vision', deployments: ['mini'] }) })).status).toBe(201);
    const rules = () => h.gateway.config().routes.find((r) => r.name === 'default')?.rules;
    await dashboard.go('/routes');
    await page.getByText('Rules (0)').first().click();
    await page.getByLabel('Rule trait for default').selectOption('hasImages');
    await page.getByRole('button', { name: 'And another trait for a rule of default' }).click();
    await page.getByRole('status').filter({ hasText: 'when has images and ...' }).waitFor();
    await page.getByLabel('Rule trait for default').selectOption('clientKey');
    await page.getByLabel('Rule value for default').fill('ci');
    await page.getByLabel('Rule target for default').selectOption('vision');
    await page.getByRole('button', { name: 'Add rule' }).first().click();
    await expect.poll(rules).toEqual([{ when: { hasImages: true, clientKey: 'ci' }, use: 'vision' }]);
    await expect.poll(() => page.getByLabel('Rules of default').textContent()).toContain('when has images and key ci');
    await page.getByRole('button', { name: 'Delete rule 1 of default' }).click();
    await expect.poll(rules).toBeUndefined();
    // A tool, as the usage log names it: asked for by name, said so when none is given.
    await page.getByLabel('Rule trait for default').selectOption('tool');
    await page.getByRole('button', { name: 'Add rule' }).first().click();
    await page.getByText('Name the tool, as the usage log does (for example Claude Code or Codex)').waitFor();
    await page.getByLabel('Rule value for default').fill('Codex');
    await page.getByLabel('Rule target for default').selectOption('vision');
    await page.getByRole('button', { name: 'Add rule' }).first().click();
    await expect.poll(rules).toEqual([{ when: { tool: 'Codex' }, use: 'vision' }]);
    await expect.poll(() => page.getByLabel('Rules of default').textContent()).toContain('when tool Codex');
    await page.getByRole('button', { name: 'Delete rule 1 of default' }).click();
    await expect.poll(rules).toBeUndefined();
    expect((await h.admin('/admin/api/routes/vision', { method: 'DELETE' })).status).toBe(200);
  });
});

describe('where a provider runs', () => {
  const openCapacity = async () => {
    const form = await dashboard.editProvider('local');
    await form.getByText('Capacity, timeouts and probes').click();
    return form;
  };

  // A vLLM on a GPU box of the LAN counts as cloud by its address (it may pass prompts on); its owner says otherwise here.
  it('is shown on its card, guessed or as said, and set from its form', async () => {
    const { h, page } = dashboard;
    await dashboard.go('/providers');
    const heading = (name: string) => page.getByRole('heading', { name: new RegExp(`^${name} `) });
    await expect.poll(() => heading('local').textContent()).toBe('local ollama local (by its address)');
    expect(await heading('cloud').textContent()).toBe('cloud openai cloud');
    const runsAs = async (name: string, choice: string) => {
      await page.locator('.card', { has: heading(name) }).getByRole('button', { name: 'Edit' }).click();
      const form = page.locator('.card', { has: page.getByRole('heading', { name: `Edit ${name}` }) });
      await form.getByLabel('Where it runs').selectOption(choice);
      await form.getByRole('button', { name: 'Save' }).click();
      await form.waitFor({ state: 'detached' });
    };
    await runsAs('local', 'cloud');
    expect(h.gateway.config().providers.find((p) => p.name === 'local')?.local).toBe(false);
    await expect.poll(() => heading('local').textContent()).toBe('local ollama cloud');
    // The form opens on what was said; back to the guess, the config says nothing.
    await page.locator('.card', { has: heading('local') }).getByRole('button', { name: 'Edit' }).click();
    expect(await page.getByLabel('Where it runs').inputValue()).toBe('cloud');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await runsAs('local', 'guess');
    expect(h.gateway.config().providers.find((p) => p.name === 'local')).not.toHaveProperty('local');
    await expect.poll(() => heading('local').textContent()).toBe('local ollama local (by its address)');
  });

  it('says which APIs its server serves itself from its form, and goes back to what its kind and address say', async () => {
    const { h } = dashboard;
    const cloud = () => h.gateway.config().providers.find((p) => p.name === 'cloud');
    const open = () => dashboard.editProvider('cloud');
    let form = await open();
    const say = form.getByRole('checkbox', { name: /^Say which APIs its server serves itself/ });
    await say.check();
    const group = form.getByRole('group', { name: 'APIs its server serves' });
    // The one ticked stays ticked: a server serves one API at least.
    expect(await group.getByRole('checkbox', { name: 'chat completions' }).isDisabled()).toBe(true);
    await group.getByRole('checkbox', { name: 'Responses' }).check();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => cloud()?.apis).toEqual(['chat', 'responses']);

    form = await open();
    await form.getByRole('checkbox', { name: /^Say which APIs its server serves itself/ }).uncheck();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => cloud()).not.toHaveProperty('apis');
  });

  // How busy it may get before its requests spill over to the cloud: config-file only before.
  it('sets its capacity, largest answer and probe interval from its form, names a typo, and an emptied field is the default again', async () => {
    const { h } = dashboard;
    let form = await openCapacity();
    expect(await form.getByLabel('Requests at once').getAttribute('placeholder')).toMatch(/^2 /);
    await form.getByLabel('Requests at once').fill('four');
    await form.getByLabel('Waiting at most').fill('10');
    await form.getByLabel('Wait for a turn at most (seconds)').fill('5');
    await form.getByLabel('Probe every (seconds, 0: never)').fill('0');
    await form.getByLabel('Largest answer (MiB)').fill('64');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('"four" is not a number').waitFor();
    expect(h.gateway.config().providers.find((p) => p.name === 'local')).not.toHaveProperty('maxConcurrent');
    await form.getByLabel('Requests at once').fill('4');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    expect(h.gateway.config().providers.find((p) => p.name === 'local')).toMatchObject({ maxConcurrent: 4, queue: { max: 10, timeoutMs: 5000 }, healthCheck: { intervalMs: 0 }, maxResponseBytes: 64 * 1024 * 1024 });

    // A value the config refuses is said under its field.
    form = await openCapacity();
    expect(await form.getByLabel('Wait for a turn at most (seconds)').inputValue()).toBe('5');
    await form.getByLabel('Requests at once').fill('0');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('.field.invalid', { hasText: 'Requests at once' }).waitFor();
    await form.getByLabel('Requests at once').fill('');
    await form.getByLabel('Waiting at most').fill('');
    await form.getByLabel('Wait for a turn at most (seconds)').fill('');
    await form.getByLabel('Largest answer (MiB)').fill('');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    const local = h.gateway.config().providers.find((p) => p.name === 'local');
    expect(local).not.toHaveProperty('maxConcurrent');
    expect(local).not.toHaveProperty('maxResponseBytes');
    expect(local).not.toHaveProperty('queue');
    expect(local).toMatchObject({ healthCheck: { intervalMs: 0 } });
  });
  // A local model loading a long prompt can take longer than two minutes to its first token: config-file only before.
  it('sets its timeouts from its form, and the gateway holds to them', async () => {
    const { h } = dashboard;
    const local = () => h.gateway.config().providers.find((p) => p.name === 'local');
    let form = await openCapacity();
    expect(await form.getByLabel('First token within (seconds)').getAttribute('placeholder')).toBe('120 local, 60 cloud');
    await form.getByLabel('First token within (seconds)').fill('0.5');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    expect(local()?.timeouts).toEqual({ firstByteMs: 500 });
    await dashboard.ollama.setMode({ kind: 'slow-first-byte', delayMs: 3_000 });
    try {
      const answer = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'llama', messages: [{ role: 'user', content: 'hi' }] }) });
      // Cut at its first-byte timeout, long before the model's first token.
      expect(answer.status).toBe(503);
      expect(((await answer.json()) as { error: { attempts: { failure: string }[] } }).error.attempts.map((a) => a.failure)).toEqual(['timeout']);
    } finally {
      await dashboard.ollama.setMode({ kind: 'healthy' });
      await h.admin('/admin/api/breakers/llama/reset', { method: 'POST' });
    }

    form = await openCapacity();
    expect(await form.getByLabel('First token within (seconds)').inputValue()).toBe('0.5');
    await form.getByLabel('First token within (seconds)').fill('');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    expect(local()).not.toHaveProperty('timeouts');
  });

  // Azure OpenAI's classic API takes its key in an api-key header: config-file only before.
  it('sets its headers and the header its key goes in from its form, a key named in one sent as the key, and a name given twice named', async () => {
    const { h } = dashboard;
    const cloud = () => h.gateway.config().providers.find((p) => p.name === 'cloud');
    const open = () => dashboard.editProvider('cloud');
    let form = await open();
    await form.getByText('Headers', { exact: true }).click();
    await form.getByRole('button', { name: 'Add a header' }).click();
    await form.getByLabel('Header 1', { exact: true }).fill('api-key');
    // A key typed as it is would be kept in the config as plain text: said at once (the config check warns of it too).
    await form.getByLabel('Value of header 1').fill('sk-typed-1234');
    await form.getByText('A key typed here is kept in the config as plain text, and shown: put it in a variable and write env:NAME.').waitFor();
    await form.getByLabel('Value of header 1').fill('env:TEST_KEY');
    expect(await form.getByText('A key typed here is kept in the config as plain text').count()).toBe(0);
    await form.getByRole('button', { name: 'Add a header' }).click();
    await form.getByLabel('Header 2', { exact: true }).fill('API-Key');
    await form.getByLabel('Value of header 2').fill('plain');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('API-Key is given twice (header names are the same in any case)').waitFor();
    expect(cloud()).not.toHaveProperty('headers');
    await form.getByRole('button', { name: 'Remove header 2' }).click();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    expect(cloud()?.headers).toEqual({ 'api-key': 'env:TEST_KEY' });
    await dashboard.page.locator('.card', { has: dashboard.page.getByRole('heading', { name: /^cloud / }) }).getByText('key in its api-key header').waitFor();
    await h.openai.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(dashboard.openai.requests.at(-1)?.headers['api-key']).toBe('sk-test-secret-1234');

    // Shown as saved, the reference and not the key; removed, the config has none.
    form = await open();
    expect(await form.getByLabel('Value of header 1').inputValue()).toBe('env:TEST_KEY');
    await form.getByRole('button', { name: 'Remove header 1' }).click();
    // Its own key in Azure's header instead (a key typed in the desktop app can go there too).
    await form.getByLabel('Send the key in').selectOption('api-key');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    expect(cloud()).not.toHaveProperty('headers');
    expect(cloud()?.keyHeader).toBe('api-key');
    await h.openai.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(dashboard.openai.requests.at(-1)?.headers).toMatchObject({ 'api-key': 'sk-test-secret-1234' });
    expect(dashboard.openai.requests.at(-1)?.headers.authorization).toBeUndefined();
  });
});

it("names, as its key reference's example, the variable its kind's key is usually in", async () => {
  const form = await dashboard.editProvider('local');
  const reference = form.getByRole('textbox', { name: 'API key reference' });
  expect(await reference.getAttribute('placeholder')).toBe('env:OLLAMA_API_KEY');
  await form.getByRole('combobox', { name: 'Kind' }).selectOption('anthropic');
  expect(await reference.getAttribute('placeholder')).toBe('env:ANTHROPIC_API_KEY');
  await form.getByRole('button', { name: 'Cancel' }).click();
});
