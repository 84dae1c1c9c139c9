/**
 * The desktop window's session (set by the main process, no token in the renderer) outlives its 30
 * days: an app left in the tray signs its window in again, so the open dashboard picks up by itself.
 */
import { describe, expect, it } from 'vitest';
import { SESSION_TTL_MS } from '../../gateway/store/admin-sessions';
import { startDesktop, useDesktopCleanups } from '../support/desktop';

useDesktopCleanups();

describe("the desktop window's session", () => {
  it('is set again once it has ended, and only then', async () => {
    const { shell, desktop } = await startDesktop();
    await expect.poll(() => shell.cookies.length).toBe(1);
    const sessions = desktop.gateway!.sessions;
    await desktop.refresh();
    expect(shell.cookies).toHaveLength(1);

    // Its 30 days are up.
    sessions.prune(Date.now() + SESSION_TTL_MS + 60_000);
    expect(sessions.valid(shell.cookies[0]!.value)).toBe(false);
    await desktop.refresh();
    expect(shell.cookies).toHaveLength(2);
    const renewed = shell.cookies[1]!;
    expect(renewed).toMatchObject({ url: desktop.origin, name: shell.cookies[0]!.name });
    expect(sessions.valid(renewed.value)).toBe(true);
    await desktop.refresh();
    expect(shell.cookies).toHaveLength(2);
  });

  it('is not made while no window is open (the app started hidden in the tray)', async () => {
    const { shell, desktop } = await startDesktop({ hidden: true });
    await desktop.refresh();
    expect(shell.cookies).toHaveLength(0);
  });
});
