/**
 * The Electron main process: the real shell, encrypted secrets, the preload's IPC, then the
 * desktop logic. Everything with a decision in it lives in desktop.ts and is unit-tested.
 */
import { app, dialog, safeStorage } from 'electron';
import { join } from 'node:path';
import { holdYoungGeneration, keepHeapCompact, releaseYoungGeneration } from '../../gateway/heap';
import { createGateway } from '../../gateway/server';
import { runDesktop } from './desktop';
import { createElectronShell, pickFile, registerIpc } from './electron-shell';
import { createEncryptedSecrets } from './secrets';

keepHeapCompact();
holdYoungGeneration();
app.setAppUserModelId('dev.switchyard.app');

async function main(): Promise<void> {
  await app.whenReady();
  const shell = createElectronShell(join(import.meta.dirname, '../../resources/tray.png'));
  const secrets = await createEncryptedSecrets({
    file: join(app.getPath('userData'), 'secrets.json'),
    env: process.env,
    cipher: {
      available: async () => safeStorage.isAsyncEncryptionAvailable(),
      backend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : process.platform === 'darwin' ? 'keychain' : 'dpapi'),
      encrypt: (text) => safeStorage.encryptStringAsync(text),
      decrypt: async (data) => (await safeStorage.decryptStringAsync(data)).result,
    },
  });
  const desktop = await runDesktop(shell, {
    createGateway,
    secrets,
    preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
    uiDir: join(import.meta.dirname, '../renderer'),
    hidden: process.argv.includes('--hidden'),
    ...(process.env.SWITCHYARD_PORT ? { port: Number(process.env.SWITCHYARD_PORT) } : {}),
  });
  releaseYoungGeneration();
  if (!desktop) return;
  registerIpc({
    origin: () => desktop.origin,
    copyText: (text) => shell.copyText(text),
    openExternal: (url) => shell.openExternal(url),
    appInfo: () => ({ version: app.getVersion(), platform: process.platform, port: desktop.trayState().port, secretsProtected: secrets.describe?.().protected ?? false }),
    pickFile,
  });
}

// A start that fails before the window or the tray exist would leave an app running with nothing to
// show or quit it by (Electron only logs a rejected promise): it is said, and the app ends.
main().catch((error: unknown) => {
  dialog.showErrorBox('Switchyard could not start', error instanceof Error ? error.message : String(error));
  app.exit(1);
});
