import { spawn } from 'node:child_process';
import { Client } from 'undici';
const start = (args: string[]) => { const c = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'] }); return new Promise<[number, any]>((r) => c.stdout!.once('data', (d) => r([JSON.parse(String(d)).port, c]))); };
const [up, c1] = await start(['bench/upstream.ts']);
const [gw, c2] = await start(['bench/gateway.ts', `http://127.0.0.1:${up}`, '9']);
const [fw, c3] = await start(['bench/forwarder.ts', `http://127.0.0.1:${up}`]);
async function lat(name: string, port: number, body: string, headers: Record<string, string>) {
  const client = new Client(`http://127.0.0.1:${port}`);
  const xs: number[] = [];
  for (let i = 0; i < 1500; i++) { const t = process.hrtime.bigint(); const r = await client.request({ path: '/v1/chat/completions', method: 'POST', headers, body }); await r.body.text(); if (i >= 300) xs.push(Number(process.hrtime.bigint() - t) / 1000); }
  xs.sort((a, b) => a - b); console.log(name.padEnd(30), 'p50', xs[600]!.toFixed(0), 'p99', xs[Math.floor(xs.length * 0.99)]!.toFixed(0));
  await client.close();
}
const plain = JSON.stringify({ model: 'live', messages: [{ role: 'user', content: 'hi' }] });
const withT = JSON.stringify({ model: 'live', messages: [{ role: 'user', content: 'Say hello in five words.' }], temperature: 0 });
await lat('direct', up, plain, { 'content-type': 'application/json' });
await lat('gw plain', gw, plain, { 'content-type': 'application/json' });
await lat('gw plain+auth', gw, plain, { 'content-type': 'application/json', authorization: 'Bearer bench' });
await lat('gw temp', gw, withT, { 'content-type': 'application/json' });
await lat('forwarder', fw, plain, { 'content-type': 'application/json' });await lat('gw plain again', gw, plain, { 'content-type': 'application/json' });await lat('forwarder again', fw, plain, { 'content-type': 'application/json' }); c3.kill();
c1.kill(); c2.kill(); process.exit(0);
