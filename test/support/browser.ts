/**
 * The Chromium the UI tests drive, found without any download step: `CHROMIUM_PATH` when set,
 * else a Chrome or Chromium installed on the system, else the Chromium shipped inside the npm
 * package @sparticuz/chromium (an optional dependency, Linux x64/arm64). Says which it used.
 */
import { existsSync } from 'node:fs';

export interface FoundBrowser {
  executablePath: string;
  args: string[];
  /** Where it came from, for the test log. */
  source: string;
}

/** Headless and quiet: without the network flags Chromium keeps calling Google's hosts, which this machine refuses. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

const SYSTEM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'];

export async function findChromium(env: Record<string, string | undefined> = process.env): Promise<FoundBrowser> {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH is set to ${env.CHROMIUM_PATH}, which does not exist`);
    return { executablePath: env.CHROMIUM_PATH, args: FLAGS, source: `CHROMIUM_PATH (${env.CHROMIUM_PATH})` };
  }
  const system = SYSTEM.find((path) => existsSync(path));
  if (system) return { executablePath: system, args: FLAGS, source: `the system's browser (${system})` };
  let packaged: { executablePath(): Promise<string> };
  try {
    packaged = (await import('@sparticuz/chromium')).default;
  } catch {
    throw new Error('No Chromium found: set CHROMIUM_PATH, install Chrome or Chromium, or run npm install on Linux x64/arm64 (it brings @sparticuz/chromium)');
  }
  // Only the binary: the package's own flags are for AWS Lambda (--single-process, --disable-web-security),
  // which would hang a second page and switch off the same-origin rules the UI tests rely on.
  const executablePath = await packaged.executablePath();
  return { executablePath, args: FLAGS, source: `@sparticuz/chromium from npm (${executablePath})` };
}
