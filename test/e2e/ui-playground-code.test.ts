/**
 * The playground's request as code, in a real browser: the Node.js script it shows runs as shown
 * with its API's official client (openai, @anthropic-ai/sdk, ollama, as installed here) and prints
 * the answer, streamed or whole, for each of the four APIs; the curl command runs in bash; the
 * Python script is Python (compiled here: the Python clients are not installed), with the same
 * request as its arguments.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const run = promisify(execFile);
const dashboard = useDashboard(twoProviders);
// Inside the project, so `import 'openai'` finds its node_modules.
mkdirSync(join(process.cwd(), 'test-artifacts'), { recursive: true });
const scratch = mkdtempSync(join(process.cwd(), 'test-artifacts', 'snippets-'));
const python = spawnSync('python3', ['--version']).status === 0;
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const apis = ['openai', 'anthropic', 'responses', 'ollama'] as const;

async function shown(api: string, stream: boolean, language: string): Promise<string> {
  const { page } = dashboard;
  await page.getByLabel('API').selectOption(api);
  await page.getByLabel('Stream').setChecked(stream);
  await page.getByRole('tab', { name: language }).click();
  return (await page.locator('.card', { has: page.getByRole('heading', { name: /^As code/ }) }).locator('pre.snippet').textContent()) ?? '';
}

it('shows a Node.js script for each API that runs as shown and prints the answer', async () => {
  await dashboard.logIn();
  await dashboard.openPlayground();
  await dashboard.page.getByLabel('Model').selectOption('llama');
  await dashboard.page.getByLabel('Message').fill('one two');
  for (const api of apis) {
    for (const stream of [true, false]) {
      const file = join(scratch, `${api}-${stream}.mjs`);
      writeFileSync(file, await shown(api, stream, 'Node.js'));
      const { stdout } = await run(process.execPath, [file], { timeout: 30_000 });
      expect(stdout.trim(), `${api}, stream ${stream}`).toBe('Echo: one two');
    }
  }
  // Copy takes the script shown.
  await dashboard.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await dashboard.page.getByRole('button', { name: 'Copy', exact: true }).click();
  expect(await dashboard.page.evaluate(() => navigator.clipboard.readText())).toContain("import { Ollama } from 'ollama';");
});

it('shows a curl command for each API that bash runs as shown, sending the request', async () => {
  for (const api of apis) {
    const command = await shown(api, false, 'curl');
    expect(command, api).toMatch(/^curl -sS '.+' -H 'content-type: application\/json'/);
    const { stdout } = await run('bash', ['-c', command], { timeout: 30_000 });
    expect(stdout, api).toContain('Echo: one two');
  }
});

// Skipped, and so reported, where no python3 is installed.
it.skipIf(!python)('shows a Python script for each API that compiles, its arguments the request', async () => {
  for (const api of apis) {
    const code = await shown(api, true, 'Python');
    const file = join(scratch, `${api}.py`);
    writeFileSync(file, code);
    await run('python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', file]);
    expect(code, api).toContain('stream=True,');
    expect(code, api).toContain('"content": "one two",');
  }
});

it('shows, once a turn is answered and nothing new is typed, the request that turn sent, not one that ends with the answer', async () => {
  const { page } = dashboard;
  await page.getByLabel('Message').fill('first of two');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => page.getByTestId('answer').last().textContent()).toContain('Echo: first of two');
  for (const api of apis) {
    const command = await shown(api, false, 'curl');
    expect(command, api).toContain('first of two');
    // Ended with the answer, the request would ask the model to go on from it (Anthropic's API takes it as a prefill).
    expect(command, api).not.toContain('Echo: first of two');
    const { stdout } = await run('bash', ['-c', command], { timeout: 30_000 });
    expect(stdout, api).toContain('Echo: first of two');
  }
  // Typed, the next turn's request: the conversation so far, the answer in it, then what was typed.
  await page.getByLabel('Message').fill('second');
  const next = await shown('openai', false, 'curl');
  expect(next.indexOf('Echo: first of two')).toBeGreaterThan(next.indexOf('"first of two"'));
  expect(next.indexOf('"second"')).toBeGreaterThan(next.indexOf('Echo: first of two'));
});
