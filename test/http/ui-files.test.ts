/**
 * The built UI's files: the root's few routed one by one, the hashed bundles under assets/ looked up
 * when asked for, so a UI rebuilt while the gateway runs loads at the next reload instead of a blank
 * page (its new index.html names bundles that did not exist at start). Nothing outside the UI's
 * folder is ever served.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, tempDir, type Harness } from '../support/harness';

const ui = tempDir('switchyard-ui-');
let h: Harness;

beforeAll(async () => {
  mkdirSync(join(ui.path, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(ui.path, 'renderer', 'index.html'), '<!doctype html><script src="/assets/index-old.js"></script>');
  writeFileSync(join(ui.path, 'renderer', 'assets', 'index-old.js'), 'console.log("old")');
  writeFileSync(join(ui.path, 'secret.txt'), 'not for the browser');
  h = await startGateway({ version: 1, providers: [], deployments: [], routes: [] }, { uiDir: join(ui.path, 'renderer') });
});
afterAll(async () => {
  await h.stop();
  ui.remove();
});

describe('the UI files', () => {
  it('serves bundles a rebuild wrote after start', async () => {
    expect(await fetch(`${h.url}/assets/index-old.js`).then((r) => r.text())).toBe('console.log("old")');
    // A rebuild: new index.html, new hashed bundle.
    writeFileSync(join(ui.path, 'renderer', 'index.html'), '<!doctype html><script src="/assets/index-new.js"></script>');
    cpSync(join(ui.path, 'renderer', 'assets', 'index-old.js'), join(ui.path, 'renderer', 'assets', 'index-new.js'));
    expect(await fetch(`${h.url}/overview`).then((r) => r.text())).toContain('/assets/index-new.js');
    const fresh = await fetch(`${h.url}/assets/index-new.js`);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('content-type')).toMatch(/javascript/);
  });

  it('sends a page asked for with a slash at its end to the page itself, whose files it names then load', async () => {
    // The built page names its bundles relative to itself (./assets/...), which under /usage/ would be /usage/assets/....
    const slashed = await fetch(`${h.url}/usage/?range=7d`, { redirect: 'manual' });
    expect([slashed.status, slashed.headers.get('location')]).toEqual([308, '/usage?range=7d']);
    expect((await fetch(`${h.url}/nothing/`, { redirect: 'manual' })).status).toBe(404);
    // A doubled slash (a base URL with a trailing slash) would resolve ./assets/ to //assets/.
    for (const [path, to] of [['//overview', '/overview'], ['//usage/', '/usage'], ['//?token=t', '/?token=t']]) {
      const res = await fetch(`${h.url}${path}`, { redirect: 'manual', headers: { accept: 'text/html' } });
      expect([res.status, res.headers.get('location')], path).toEqual([308, to]);
    }
    expect(await fetch(`${h.url}/overview`).then((r) => r.status)).toBe(200);
  });

  it('serves nothing outside its folder, however the path is spelt', async () => {
    // Sent as written: fetch would resolve the dot segments before sending.
    const raw = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: h.port, path, headers: { host: `127.0.0.1:${h.port}` } }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    for (const path of ['/assets/../../secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/..%5c..%5csecret.txt', '/assets/missing.js', '/secret.txt', '//assets/..//..//secret.txt', '/assets//%2e%2e//%2e%2e//secret.txt', '//secret.txt']) {
      const res = await raw(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.body, path).not.toContain('not for the browser');
    }
  });
});
