/**
 * `switchyard connect [TOOL]`: with a tool, point it at this gateway in its own config file (or undo
 * that); without one, print every tool's settings. The CLI loads this module only for this command.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Output } from '../cli-output';
import { ClientKeyError, createClientKeyStore } from '../store/client-keys';
import { createConfigStore } from '../store/config-store';
import { openDatabase } from '../store/db';
import { createGatewayAddress, gatewayOf } from '../store/gateway-address';
import { askHealth } from '../running-health';
import { chatModelNames, clientKeysRequired, embeddingModelNames } from '../config/for-clients';
import { originMatcher } from '../config/origins';
import { printable } from '../printable';
import { chooseModel, ConnectError, modelWindows, OPEN_KEY, pointing, reportedWindow, runConnect, toolConnections, toolGuides, type WindowOf } from './index';

export async function connectCommand(
  tool: string | undefined,
  values: { route?: string; key?: string; 'dry-run'?: boolean; undo?: boolean; force?: boolean; port?: string },
  dataDir: string,
  io: Output,
  env: Record<string, string | undefined>,
): Promise<number> {
  const db = openDatabase(dataDir);
  try {
    const config = createConfigStore(db).current();
    const keys = createClientKeyStore(db);
    const gateway = gatewayOf(db, values.port, env);
    const url = gateway.url;
    const keyRequired = clientKeysRequired(gateway.exposed, config?.settings);
    const places = { home: env.HOME || homedir(), env, stateDir: join(dataDir, 'connect') };
    // An undo writes back the file as it was: no window to learn for it.
    const windowOf = config && !values.undo ? await learnedWindows(createGatewayAddress(db).running()?.url, values.key, config) : undefined;
    if (!tool) {
      const model = chooseModel(config, values.route);
      const guides = toolGuides({ url, key: values.key ?? (keyRequired ? '<client key>' : OPEN_KEY), keyRequired, model, models: chatModelNames(config), embedModel: embeddingModelNames(config)[0], windows: modelWindows(config, chatModelNames(config), windowOf), allowsOrigin: originMatcher(config?.settings?.allowedOrigins ?? []) });
      for (const guide of guides) {
        io.out(`${guide.name}${guide.connect ? `  (switchyard connect ${guide.connect})` : ''}\n${guide.settings.map((s) => `  ${s.label}: ${s.value}`).join('\n')}\n\n`);
      }
      io.out(`Where each tool's settings file points it now (this gateway: ${url}):\n${toolConnections(places, url, config).map((c) => `  ${printable(pointing(c))}`).join('\n')}\n`);
      return 0;
    }
    if (!config && values.route) io.err(`No config is stored in ${dataDir} yet, so --route ${values.route} was not checked against its routes.\n`);
    const done = runConnect({ tool, config, url, route: values.route, key: values.key, keyRequired, keys, windowOf, dryRun: values['dry-run'], undo: values.undo, force: values.force, places });
    if (!done.changed) {
      io.out(values.undo ? `${done.file} is already as it was before Switchyard connected.\n` : `${done.file} already points ${tool} at Switchyard; nothing to change.\n`);
      return 0;
    }
    io.out(done.diff);
    if (!done.applied) {
      io.out(`\nDry run: ${done.file} was not changed.\n`);
      return 0;
    }
    if (done.createdKey) io.err(`Created client key "${done.createdKey}" for ${tool} (written into its settings).\n`);
    if (values.undo) io.out(`\nRestored ${done.file} to what it was before Switchyard connected.\n`);
    else io.out(`\nWrote ${done.file}${done.backup ? ` (the earlier file is kept as ${done.backup})` : ''}. Undo with: switchyard connect ${tool} --undo\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConnectError || error instanceof ClientKeyError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    db.close();
  }
}

/**
 * The windows a gateway serving the data dir learned (an Ollama's `num_ctx`, which the config may
 * not say), so a tool is told what the dashboard would tell it; the config's and the table's alone
 * when none serves it or its report holds no deployments (open to the network, without a key).
 */
async function learnedWindows(running: string | undefined, key: string | undefined, config: Parameters<typeof reportedWindow>[0]): Promise<WindowOf | undefined> {
  if (!running) return undefined;
  const asked = await askHealth(running, key);
  return 'report' in asked && asked.report.deployments ? reportedWindow(config, asked.report.deployments) : undefined;
}
