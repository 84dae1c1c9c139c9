/**
 * The webhook channel when its URL is replaced: the old URL's posts under way finish, but a retry
 * it still waits to make is given up when the gateway stops (a stop must not wait on a chat that
 * is down), as the current URL's is.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWebhookChannel } from '../../gateway/notices/webhook-channel';

let down: Server;
let up: Server;
const received = { down: 0, up: 0 };
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/secret`;

beforeAll(async () => {
  down = createServer((req, res) => {
    received.down++;
    req.resume().on('end', () => res.writeHead(503).end());
  });
  up = createServer((req, res) => {
    received.up++;
    req.resume().on('end', () => res.writeHead(200).end('ok'));
  });
  await Promise.all([down, up].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
});
afterAll(async () => {
  await Promise.all([down, up].map((server) => new Promise((resolve) => server.close(resolve))));
});

it("gives up a replaced URL's retry when the gateway stops, as it does the current one's", async () => {
  let reference = 'down';
  const undelivered: string[] = [];
  const channel = createWebhookChannel({
    reference: () => reference,
    resolve: (name) => (name === 'down' ? urlOf(down) : urlOf(up)),
    env: {},
    proxy: undefined,
    undelivered: (problem) => undelivered.push(problem),
  });
  channel.send({ title: 'local is down', body: 'Requests go to the cloud.' });
  await expect.poll(() => received.down).toBe(1);
  // The chat answered 503: a retry waits. Meanwhile the URL is replaced, and a notice goes to the new one.
  reference = 'up';
  channel.send({ title: 'local is back', body: 'Requests go to it again.' });
  await expect.poll(() => received.up).toBe(1);
  await channel.close({ giveUpRetries: true });
  // The replaced URL was not tried again, and what it did not take is said.
  expect(received.down).toBe(1);
  expect(undelivered).toEqual([expect.stringMatching(/^the webhook at 127\.0\.0\.1:\d+ answered 503 to "local is down"$/)]);
});
