/**
 * The desktop shell, so far only what proves the architecture: the same createGateway the CLI uses,
 * started in-process, and a locked-down window on its loopback origin. Tray, secrets,
 * notifications and the rest of the shell arrive with the Electron issue.
 */
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { createGateway } from '../../gateway/gateway';

async function launch(): Promise<void> {
  const gateway = await createGateway({ dataDir: join(app.getPath('userData'), 'data') });
  const { url } = await gateway.start();
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, preload: join(__dirname, '../preload/index.js') },
  });
  await window.loadURL(`${url}/health`);
  app.on('before-quit', () => void gateway.stop());
}

void app.whenReady().then(launch);
