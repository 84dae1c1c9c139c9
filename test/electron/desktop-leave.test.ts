/**
 * Leaving the desktop app's dashboard while it holds unsaved edits (electron/main/leave-guard.ts):
 * Quit from the tray and a reload ask first, as a browser does, and the question never holds the
 * gateway. The fake window runs the page's beforeunload in Electron's order (close listeners, then
 * the page); the dialog itself is Electron's and cannot run on this machine.
 */
import { describe, expect, it } from 'vitest';
import { startDesktop, useDesktopCleanups, type FakeWindow } from '../support/desktop';

useDesktopCleanups();

const serving = async (origin: string | null) => (await fetch(`${origin}/v1/models`)).status;

describe('leaving the dashboard with unsaved edits', () => {
  it('Quit from the tray asks first; Stay keeps the app and its gateway, Leave quits', async () => {
    const { shell, desktop } = await startDesktop();
    const window = shell.windows[0] as FakeWindow;
    expect(window.close()).toBe(true);
    expect(window.visible).toBe(false);
    window.atStake = true;
    window.answer = false;
    shell.item(/^Quit/).click?.();
    // The question is asked over the window, brought out of the tray.
    await expect.poll(() => window.questions).toBe(1);
    expect(window.visible).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shell.exited).toBeNull();
    expect(window.closed).toBe(false);
    expect(await serving(desktop.origin)).toBe(200);
    // Closing the window goes to the tray again, as before the question.
    expect(window.close()).toBe(true);

    window.answer = true;
    shell.item(/^Quit/).click?.();
    await expect.poll(() => shell.exited).toBe(0);
    expect(window.questions).toBe(2);
    expect(window.closed).toBe(true);
    await expect(fetch(`${desktop.origin}/health`)).rejects.toThrow();
  });

  it('asks nothing when nothing is at stake', async () => {
    const { shell } = await startDesktop();
    const window = shell.windows[0] as FakeWindow;
    shell.item(/^Quit/).click?.();
    await expect.poll(() => shell.exited).toBe(0);
    expect(window.questions).toBe(0);
    expect(window.closed).toBe(true);
  });

  it('never holds the gateway while the question waits for its answer', async () => {
    const { shell, desktop } = await startDesktop();
    const window = shell.windows[0] as FakeWindow;
    window.atStake = true;
    window.answer = 'later';
    const quitting = desktop.quit();
    await expect.poll(() => window.questions).toBe(1);
    // Tools are served all the while the user has not answered.
    expect(await serving(desktop.origin)).toBe(200);
    expect(await serving(desktop.origin)).toBe(200);
    window.answerNow(false);
    await quitting;
    expect(shell.exited).toBeNull();
    expect(await serving(desktop.origin)).toBe(200);
  });

  it('a reload the page stopped is asked about, and done again only on Leave, once', async () => {
    const { shell } = await startDesktop();
    const window = shell.windows[0] as FakeWindow;
    window.atStake = true;
    window.answer = false;
    window.reload();
    await expect.poll(() => window.questions).toBe(1);
    expect(window.reloads).toBe(0);
    window.answer = true;
    window.reload();
    await expect.poll(() => window.reloads).toBe(1);
    expect(window.questions).toBe(2);
    // The let-through was used by that reload: the next one asks again.
    window.answer = false;
    window.reload();
    await expect.poll(() => window.questions).toBe(3);
    expect(window.reloads).toBe(1);
  });

  it('Quit while a reload is being asked about: the one answer decides, and Leave quits rather than reloads', async () => {
    const { shell, desktop } = await startDesktop();
    const window = shell.windows[0] as FakeWindow;
    window.atStake = true;
    window.answer = 'later';
    window.reload();
    await expect.poll(() => window.questions).toBe(1);
    const quitting = desktop.quit();
    window.answerNow(true);
    await quitting;
    expect(window.questions).toBe(1);
    expect(window.reloads).toBe(0);
    expect(window.closed).toBe(true);
    expect(shell.exited).toBe(0);
  });

  it('a page that answers nothing (a hung renderer) does not keep the app from quitting', async () => {
    const { shell, desktop } = await startDesktop({ hidden: true });
    shell.unansweredMs = 200;
    shell.item(/^Open dashboard/).click?.();
    const window = shell.windows[0] as FakeWindow;
    window.hung = true;
    await desktop.quit();
    expect(window.closed).toBe(true);
    expect(shell.exited).toBe(0);
  });
});
