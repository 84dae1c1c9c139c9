/**
 * The built UI's files: the root's few routed one by one, the hashed bundles under assets/ looked up
 * when asked for, so a UI rebuilt while the gateway runs loads at the next reload instead of a blank
 * page (its new index.html names bundles that did not exist at start). Nothing outside the UI's
 * folder is ever served. Its pages are its index at their paths, and the app icon is the favicon.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, tempDir, type Harness } from '../support/harness';

const ui = tempDir('switchyard-ui-');
let h: Harness;

beforeAll(async () => {
  mkdirSync(join(ui.path, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(ui.path, 'renderer', 'index.html'), '<!doctype html><script src="/assets/index-old.js"></script>');
  writeFileSync(join(ui.path, 'renderer', 'assets', 'index-old.js'), 'console.log("old")');
  writeFileSync(join(ui.path, 'renderer', 'favicon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
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

describe('the UI bundles sent compressed', () => {
  it("sends a bundle's gzip to a browser that takes gzip, and the bundle itself to one that does not", async () => {
    const script = `console.log(${JSON.stringify('x'.repeat(4000))})`;
    writeFileSync(join(ui.path, 'renderer', 'assets', 'index-big.js'), script);
    writeFileSync(join(ui.path, 'renderer', 'assets', 'index-big.js.gz'), gzipSync(script));
    const get = (encoding: string) =>
      new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: h.port, path: '/assets/index-big.js', headers: { 'accept-encoding': encoding } }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
        });
        req.on('error', reject);
        req.end();
      });
    const zipped = await get('gzip, deflate');
    expect([zipped.headers['content-encoding'], zipped.headers['content-type']]).toEqual(['gzip', expect.stringMatching(/javascript/)]);
    expect(gunzipSync(zipped.body).toString()).toBe(script);
    expect(zipped.body.length).toBeLessThan(script.length / 10);
    const plain = await get('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });
});

describe('the UI pages', () => {
  it('is served at the root and its pages; unknown paths are 404s', async () => {
    const page = await fetch(`${h.url}/routes`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect((await fetch(`${h.url}/nonsense`)).status).toBe(404);
  });

  it('serves the app icon as the favicon every browser asks for, and a 404 (not an internal error) from a build without it; a page while a rebuild empties the folder says the UI is not built', async () => {
    const icon = await fetch(`${h.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await icon.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    rmSync(join(ui.path, 'renderer', 'favicon.png'));
    // A rebuild empties the folder for a moment: the pages say so then, as an unbuilt UI's do.
    const index = readFileSync(join(ui.path, 'renderer', 'index.html'));
    rmSync(join(ui.path, 'renderer', 'index.html'));
    const rebuilding = await fetch(`${h.url}/routes`);
    expect(rebuilding.status).toBe(200);
    expect(await rebuilding.text()).toContain('The Switchyard UI is not built');
    writeFileSync(join(ui.path, 'renderer', 'index.html'), index);
    const none = await fetch(`${h.url}/favicon.ico`);
    expect(none.status).toBe(404);
    expect((await none.json()).error.code).toBe('not_found');
  });
});
