/**
 * `switchyard serve`: the gateway in this process until Ctrl-C or SIGTERM, then a gentle stop.
 * Loaded only for this command, so the others start without the HTTP server and upstream clients.
 */
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import type { Output } from './cli-output';
import { readConfigFile } from './config/config-file';
import { changedSinceFile, FILE_SOURCES, replacedNotice } from './config/file-owned';
import { renamesSaid } from './config/renames';
import { clientKeysRequired } from './config/for-clients';
import { formatIssues, validateConfig } from './config/validate';
import { keepHeapCompact, releaseYoungGeneration } from './heap';
import { cutConnections } from './http/close';
import { isLoopbackHost } from './providers/hosts';
import { printable } from './printable';
import { listenProblem } from './cli-problems';
import { DEFAULT_HOST, DEFAULT_PORT, isPort } from './paths';
import { readHealthSnapshot } from './notices/snapshot';
import { noticeText } from './notices/notifier';
import { watchNotices } from './notices/watch';
import { parseWebhookUrl, WEBHOOK_VARIABLE } from './notices/webhook';
import { serveBanner } from './serve-banner';
import { ConfigError, createGateway, type Gateway } from './server';
import { VERSION } from './version';

/** How long `serve` lets requests in flight finish when told to stop (an agent's answer, a stream). */
const STOP_GRACE_MS = 10_000;

export interface ServeArgs {
  host: string | undefined;
  port: string | undefined;
  dataDir: string;
  configFile: string | undefined;
  uiDir: string | undefined;
}

export async function serveCommand(args: ServeArgs, io: Output): Promise<number> {
  const host = args.host ?? DEFAULT_HOST;
  const portText = args.port ?? process.env.SWITCHYARD_PORT ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!isPort(portText)) {
    io.err(`Invalid port "${portText}": give a number from 0 to 65535\n`);
    return 2;
  }
  // A variable given where serve starts is checked at once; a webhook the settings name is said below.
  const variable = process.env[WEBHOOK_VARIABLE] ? parseWebhookUrl(process.env[WEBHOOK_VARIABLE]) : undefined;
  if (variable && !variable.ok) {
    io.err(`${variable.message}: give the incoming webhook's URL (Slack, Discord, Mattermost...), or unset it\n`);
    return 2;
  }
  let config: unknown;
  if (args.configFile) {
    config = readConfigFile(args.configFile, io);
    if (config === undefined) return 1;
  }
  keepHeapCompact();
  const undelivered = (problem: string) => io.err(`Notice not delivered: ${problem}\n`);
  let gateway;
  try {
    gateway = await createGateway({
      dataDir: args.dataDir,
      host,
      port,
      config,
      ...(args.configFile ? { configFile: resolve(args.configFile) } : {}),
      ...(args.uiDir ? { uiDir: args.uiDir } : {}),
      notices: { desktop: false, undelivered },
      logger: { level: process.env.SWITCHYARD_LOG_LEVEL ?? 'warn', redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] },
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`${args.configFile} is not a valid Switchyard config; nothing was changed:\n${formatIssues(error.result.errors)}\n`);
      return 1;
    }
    throw error;
  }
  for (const notice of gateway.notices) io.err(`Notice: ${notice}\n`);
  if (gateway.warnings.length > 0) io.err(`Config warnings:\n${formatIssues(gateway.warnings)}\n`);
  let started;
  try {
    started = await gateway.start();
  } catch (error) {
    await gateway.stop().catch(() => undefined);
    const problem = listenProblem(error, host, port);
    if (problem) {
      io.err(`${problem}\n`);
      return 1;
    }
    throw error;
  }
  // Said as it is: beyond loopback every request needs a client key, this machine's tools' too, or is refused.
  if (!isLoopbackHost(host)) io.err(`Warning: listening on ${host}, beyond this machine: anyone who can reach it and holds a client key can use your providers. Every request needs one here, this machine's tools' too ("switchyard keys create NAME").\n`);
  // Listened for before the banner: a supervisor or a script that stops it as soon as it reads the
  // banner must get the gentle stop, not the default end of the process.
  const stopAsked = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  if (args.configFile) reloadOnHangup(args.configFile, gateway, io);
  const webhook = gateway.webhook.state();
  if (webhook.problem) io.err(`Notices are not posted to the webhook: ${webhook.problem}\n`);
  if (webhook.warning) io.err(`Warning: ${webhook.warning}\n`);
  // Watched all along: each notice is printed (a server's journal shows a provider down as the
  // desktop app would), and a webhook set in Settings later is posted to from its next notice.
  const watcher = watchNotices({
    read: () => readHealthSnapshot(gateway),
    deliver: (notice) => {
      io.err(`Notice: ${printable(noticeText(notice))}\n`);
      if (gateway.webhook.state().from !== null) gateway.webhook.send(notice);
    },
    onError: undelivered,
  });
  io.out(
    serveBanner({
      version: VERSION,
      url: started.url,
      baseUrl: started.baseUrl,
      loginToken: gateway.sessions.issueLoginToken(),
      dataDir: args.dataDir,
      config: gateway.config(),
      keysRequired: clientKeysRequired(!isLoopbackHost(host), gateway.config().settings),
      otherMachines: host === '0.0.0.0' || host === '::' ? lanOrigins(started.port) : [],
      webhookHost: webhook.host ?? undefined,
    }),
  );
  // Held since the CLI began loading serve (heap.ts): under load it grows as V8 grows it.
  releaseYoungGeneration();
  await stopAsked;
  io.out(`Stopping: requests in flight may finish (up to ${STOP_GRACE_MS / 1000} s); press Ctrl-C again to stop at once\n`);
  const cut = () => cutConnections(gateway.app);
  process.once('SIGINT', cut);
  process.once('SIGTERM', cut);
  watcher.stop();
  await gateway.stop({ graceMs: STOP_GRACE_MS });
  return 0;
}


/**
 * With --config, SIGHUP (`systemctl reload`, `kill -HUP`) applies the file again, checked as at
 * start: an invalid or unreadable file changes nothing and says why, on stderr (the service's log).
 * A file the same as the config in force makes no new revision.
 */
function reloadOnHangup(file: string, gateway: Pick<Gateway, 'applyConfig' | 'config' | 'history'>, io: Output): void {
  process.on('SIGHUP', () => {
    const input = readConfigFile(file, io);
    if (input === undefined) return io.err(`${file} was not reloaded; the config in force is kept\n`);
    const checked = validateConfig(input);
    if (checked.ok && JSON.stringify(checked.config) === JSON.stringify(gateway.config())) return io.err(`Reloaded ${file}: no change\n`);
    const replaced = changedSinceFile(gateway.history);
    const before = gateway.config();
    const result = gateway.applyConfig(input, FILE_SOURCES.reload(file));
    if (!result.ok) return io.err(`${file} is not a valid Switchyard config; the config in force is kept:\n${formatIssues(result.errors)}\n`);
    io.err(`Reloaded ${file}${result.warnings.length > 0 ? `; warnings:\n${formatIssues(result.warnings)}` : ''}\n`);
    const renamed = renamesSaid(before, result.config);
    if (renamed) io.err(`${renamed}\n`);
    if (replaced) io.err(`Notice: ${replacedNotice(file, replaced)}\n`);
  });
}

/** This machine's own addresses beyond loopback, as origins on `port` (a few: a laptop has one or two). */
function lanOrigins(port: number): string[] {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => list ?? []).filter((a) => !a.internal && a.family === 'IPv4');
  return addresses.slice(0, 3).map((a) => `http://${a.address}:${port}`);
}

