/**
 * The dashboard's page in trouble (electron/main/page-recovery.ts), on the fake window
 * (support/desktop.ts): a crashed page is loaded again, one that keeps crashing is said once rather
 * than reloaded in a loop, one that stops answering is offered a reload; and the main process never
 * waits on a dialog while it serves every tool.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverPage } from '../../electron/main/page-recovery';
import { secureWindowOptions } from '../../electron/main/window';
import { FakeWindow, startDesktop, useDesktopCleanups } from '../support/desktop';

useDesktopCleanups();

describe("the dashboard's page gone", () => {
  it('is loaded again, and tools are served all along', async () => {
    const { shell, desktop } = await startDesktop();
    const window = shell.windows[0] as FakeWindow;
    window.crash('oom');
    expect(window.reloads).toBe(1);
    expect(shell.errors).toEqual([]);
    expect((await fetch(`${desktop.origin}/v1/models`)).status).toBe(200);
  });

  it('keeps stopping: said once at the third time within a minute, not reloaded in a loop; Open dashboard tries again', async () => {
    const { shell } = await startDesktop();
    const window = shell.windows[0] as FakeWindow;
    window.crash();
    window.crash();
    window.crash();
    expect(window.reloads).toBe(2);
    expect(shell.errors).toEqual(['Switchyard\'s dashboard keeps stopping: Its page stopped 3 times within a minute (the last: crashed), so it was not loaded again. Tools are still served. Choose "Open dashboard" in the tray menu to try again.']);
    shell.item(/^Open dashboard/).click?.();
    expect(window.reloads).toBe(3);
    // Open dashboard on a page that is fine loads nothing again.
    shell.item(/^Open dashboard/).click?.();
    expect(window.reloads).toBe(3);
    expect(shell.windows).toHaveLength(1);
  });

  it('counts only the last minute, and not a window closing', () => {
    const window = new FakeWindow(secureWindowOptions('x'));
    const said: string[] = [];
    let clock = 0;
    recoverPage(window, (title) => said.push(title), () => clock);
    for (let i = 0; i < 5; i++) {
      window.crash();
      clock += 31_000;
    }
    expect(window.reloads).toBe(5);
    window.crash('clean-exit');
    expect(window.reloads).toBe(5);
    expect(said).toEqual([]);
  });
});

describe("the dashboard's page not answering", () => {
  const notResponding = 'The dashboard is not responding';

  it('is offered a reload over the window, and Reload ends it and loads it again', async () => {
    const { shell } = await startDesktop();
    const window = shell.windows[0] as FakeWindow;
    window.hide();
    window.hang(true);
    expect(window.asked).toEqual([notResponding]);
    expect(window.visible).toBe(true);
    await expect.poll(() => window.reloads).toBe(1);
    // Still hung when asked again: one question at a time.
    window.answer = 'later';
    window.hang(true);
    window.hang(true);
    expect(window.asked).toEqual([notResponding, notResponding]);
  });

  it('Wait, or the page answering again before the answer, leaves it as it is', async () => {
    const { shell } = await startDesktop();
    const window = shell.windows[0] as FakeWindow;
    window.answer = false;
    window.hang(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(window.reloads).toBe(0);
    window.answer = 'later';
    window.hang(true);
    window.hang(false);
    // The question was taken back: a Reload now answers nothing.
    window.answerNow(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(window.reloads).toBe(0);
    expect(window.gone).toBe(false);
    // And the next hang asks afresh.
    window.hang(true);
    expect(window.asked).toHaveLength(3);
  });
});

describe('the built main process', () => {
  it('holds no dialog that blocks, but the one saying the app could not start (its gateway is not serving then)', () => {
    const dir = join(import.meta.dirname, '..', '..', 'out', 'main');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.cjs') || file.endsWith('.js'));
    const code = files.map((file) => readFileSync(join(dir, file), 'utf8')).join('\n');
    expect(code).toContain('showMessageBox(');
    expect(code.match(/showMessageBoxSync|showOpenDialogSync|showSaveDialogSync/g)).toBeNull();
    expect(code.match(/showErrorBox\(/g)).toHaveLength(1);
    expect(code).toMatch(/showErrorBox\("Switchyard could not start"/);
  });
});
