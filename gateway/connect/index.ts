/**
 * One connect (or undo) as the CLI and the admin API both run it: choose the model and key, plan
 * the edit, and make it unless this is a dry run. A client key is created only when keys are
 * required, only once the edit is known to be possible, and named after the tool.
 */
import type { Config } from '../config/schema';
import type { ClientKeyStore } from '../store/client-keys';
import { applyConnect, applyUndo, configFile, planConnect, planUndo, readText, type Places, type Plan } from './connect';
import { ConnectError, OPEN_KEY, WRITABLE_TOOLS, writtenKey, type ToolId } from './editors';
import { chatModelNames } from '../config/for-clients';
import { chooseModel } from './guides';
import { unsendableInHeader } from '../providers/header-values';
import { modelWindows, type WindowOf } from './context-window';

export { ConnectError, OPEN_KEY, WRITABLE_TOOLS, type Places, type ToolId };
export { toolGuides, chooseModel, type ToolGuide } from './guides';
export { configFile, isConnected } from './connect';
export { pointing, toolConnections, type Connection } from './connections';
export { modelWindows, reportedWindow, type WindowOf } from './context-window';

export interface ConnectRequest {
  tool: string;
  config: Config | undefined;
  url: string;
  route?: string | undefined;
  /** A client key to write; otherwise the one the tool already sends, or a new one when keys are required. */
  key?: string | undefined;
  keyRequired: boolean;
  keys: Pick<ClientKeyStore, 'create' | 'list' | 'verify'>;
  dryRun?: boolean | undefined;
  undo?: boolean | undefined;
  force?: boolean | undefined;
  places: Places;
  /** What each deployment can take, from a running gateway's probes (else from the config alone). */
  windowOf?: WindowOf | undefined;
}

export interface ConnectResult {
  tool: ToolId;
  file: string;
  diff: string;
  changed: boolean;
  applied: boolean;
  /** The earlier file kept beside the new one, when there was one. */
  backup?: string | undefined;
  /** The name of a client key made for the tool. */
  createdKey?: string | undefined;
}

const PLACEHOLDER_KEY = '<a new client key>';

export function isWritableTool(tool: string): tool is ToolId {
  return (WRITABLE_TOOLS as readonly string[]).includes(tool);
}

export function runConnect(request: ConnectRequest): ConnectResult {
  const { tool, places } = request;
  if (!isWritableTool(tool)) throw new ConnectError(`Switchyard can set up ${WRITABLE_TOOLS.join(', ')}; "${tool}" is not one of them. Its settings are on the Connect page.`);
  if (request.undo) {
    const plan = planUndo(tool, places, { force: request.force });
    if (!request.dryRun) applyUndo(plan, places);
    return result(plan, !request.dryRun);
  }
  const model = chooseModel(request.config, request.route);
  const models = chatModelNames(request.config);
  const windows = modelWindows(request.config, models, request.windowOf);
  const target = (key: string) => ({ url: request.url, key, model, models, windows });
  // A key the tool already sends is kept while it works: connecting twice changes nothing and makes no second key.
  const written = writtenKey(tool, readText(configFile(tool, places))?.text);
  const existing = request.key !== undefined ? givenKey(request.key, request) : written && (!request.keyRequired || request.keys.verify(written)) ? written : undefined;
  const makesKey = existing === undefined && request.keyRequired;
  const fixedKey = existing ?? (makesKey ? PLACEHOLDER_KEY : OPEN_KEY);
  let plan = planConnect(tool, target(fixedKey), places);
  if (request.dryRun || !plan.changed) return result(plan, false);
  let createdKey: string | undefined;
  if (makesKey) {
    const taken = new Set(request.keys.list().map((k) => k.name));
    createdKey = [tool, ...Array.from({ length: 98 }, (_, i) => `${tool}-${i + 2}`)].find((name) => !taken.has(name));
    if (!createdKey) throw new ConnectError(`Too many client keys are named after ${tool}; pass one with --key.`);
    plan = planConnect(tool, target(request.keys.create(createdKey).key), places);
  }
  const { backup } = applyConnect(plan, places);
  return { ...result(plan, true), backup, createdKey };
}

/**
 * A key passed to be written (`--key`), as a tool would send it: refused when it is empty (an unset
 * shell variable: the tool then said "Not logged in"), when no HTTP header can carry it, or, where
 * the gateway requires keys, when it is none of its keys (the tool's every request would be a 401).
 */
function givenKey(key: string, request: ConnectRequest): string {
  const trimmed = key.trim();
  const instead = 'leave --key out and connect writes the key the tool has, or makes one';
  if (!trimmed) throw new ConnectError(`--key is empty: pass the client key itself, or ${instead}.`);
  const unsendable = unsendableInHeader(trimmed);
  if (unsendable) throw new ConnectError(`--key has ${unsendable}: copy the key again.`);
  if (request.keyRequired && !request.keys.verify(trimmed)) {
    throw new ConnectError(`--key is none of this gateway's client keys (unknown or revoked), and the gateway requires one: the tool's requests would be refused. Make one with "switchyard keys create NAME", or ${instead}.`);
  }
  return trimmed;
}

function result(plan: Plan, applied: boolean): ConnectResult {
  return { tool: plan.tool, file: plan.file, diff: plan.diff, changed: plan.changed, applied: applied && plan.changed };
}
