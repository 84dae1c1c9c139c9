import { it } from 'vitest';
import { useDashboard } from './support/dashboard';
import { twoTierConfig } from './support/harness';
const d = useDashboard((u) => twoTierConfig(u));
it('shots', async () => {
  for (let i = 0; i < 12; i++) await d.h.openai.chat.completions.create({ model: i % 3 ? 'default' : 'cloud-first', messages: [{ role: 'user', content: `hello ${i}` }] });
  await d.ollama.setMode({ kind: 'refuse' });
  for (let i = 0; i < 4; i++) await d.h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: `down ${i}` }] });
  await d.logIn();
  for (const p of ['overview', 'routes', 'providers', 'playground', 'connect', 'usage', 'settings']) {
    await d.go(`/${p}`);
    await d.page.waitForTimeout(1500);
    await d.page.screenshot({ path: `/tmp/shots/${p}.png`, fullPage: true });
  }
}, 120_000);
