/**
 * What a visitor without a session is told to run for a login link: the login-link command with
 * this gateway's data dir (a link is a row of that database), quoted as the shell needs, and no path
 * on a gateway open to the network.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../gateway/shell-word';
import { startGateway, tempDir, twoTierConfig } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const config = () => twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url });
const t = useTwoTier({ config: () => config() });

describe('the login-link command a visitor is shown', () => {
  it('tells a visitor the login-link command for this data dir, and shows no path on a gateway open to the network', async () => {
    // A link is a row of the data dir's database: one issued on the default data dir is refused here.
    const session = async (url: string) => (await fetch(`${url}/admin/api/session`)).json();
    const refusal = async (url: string) => (await (await fetch(`${url}/admin/api/providers`)).json()).error.message;
    expect(await session(t.h.url)).toEqual({ authenticated: false, version: expect.any(String), loginLink: { dataDir: t.h.dataDir, hiddenDataDir: false } });
    expect(await refusal(t.h.url)).toBe(`Open the login link printed when Switchyard started (or run "switchyard login-link --data-dir ${t.h.dataDir}") to use the admin API`);
    const spaced = tempDir('switchyard test ');
    const exposed = await startGateway(config(), { host: '0.0.0.0', dataDir: spaced.path });
    const ownDefault = await startGateway(config(), { env: { SWITCHYARD_HOME: spaced.path }, dataDir: spaced.path });
    const quoted = await startGateway(config(), { dataDir: spaced.path });
    try {
      expect((await session(exposed.url)).loginLink).toEqual({ dataDir: null, hiddenDataDir: true });
      expect(await refusal(exposed.url)).toBe('Open the login link printed when Switchyard started (or run "switchyard login-link" with the data dir it was started on) to use the admin API');
      expect((await session(ownDefault.url)).loginLink).toEqual({ dataDir: null, hiddenDataDir: false });
      expect(await refusal(ownDefault.url)).toBe('Open the login link printed when Switchyard started (or run "switchyard login-link") to use the admin API');
      expect((await session(quoted.url)).loginLink).toEqual({ dataDir: `'${spaced.path}'`, hiddenDataDir: false });
      // Settings' backup command quotes it the same way.
      expect((await (await quoted.admin('/admin/api/settings')).json()).data).toMatchObject({ dir: spaced.path, argument: `'${spaced.path}'` });
    } finally {
      await Promise.all([exposed.stop(), ownDefault.stop(), quoted.stop()]);
      spaced.remove();
    }
  });

  it('quotes a path as one word the shell gives back whole', () => {
    for (const path of ['/home/you/.local/share/switchyard', "/Users/you/Library/Application Support/Switch'yard", '/tmp/a $HOME `b` "c"']) {
      expect(execFileSync('sh', ['-c', `printf %s ${shellWord(path, 'linux')}`], { encoding: 'utf8' })).toBe(path);
    }
    expect(shellWord('/home/you/.local/share/switchyard', 'linux')).toBe('/home/you/.local/share/switchyard');
    expect(shellWord('C:\\Users\\you\\AppData\\Roaming\\Switchyard', 'win32')).toBe('"C:\\Users\\you\\AppData\\Roaming\\Switchyard"');
  });
});
