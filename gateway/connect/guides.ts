/**
 * How each tool is pointed at this gateway: the exact settings to copy (base URL, key, model) and,
 * for the tools Switchyard can configure itself, which one; coding agents first (agent-guides.ts),
 * then editors, apps and SDKs (app-guides.ts). Shared by the UI's Connect page (over the admin API)
 * and `switchyard connect`. Also which model a tool should ask for by default.
 */
import { chatModelNames } from '../config/for-clients';
import { didYouMean } from '../config/nearest';
import type { Config } from '../config/schema';
import { agentGuides } from './agent-guides';
import { appGuides } from './app-guides';
import { ConnectError } from './editors';
import type { GuideContext, ToolGuide } from './guide-types';

export type { GuideContext, ToolGuide } from './guide-types';

/** The model a tool is set to ask for: the one named, else the first route (or chat deployment). */
export function chooseModel(config: Config | undefined, named?: string): string {
  const names = chatModelNames(config);
  if (named) {
    if (config && !names.includes(named)) throw new ConnectError(`No route or chat deployment is named "${named}"${didYouMean(named, names)}. Choose one of: ${names.join(', ') || '(none yet)'}.`);
    return named;
  }
  const first = names[0];
  if (!first) throw new ConnectError('The config has no routes or chat deployments yet; add one first, or name one with --route.');
  return first;
}

export function toolGuides(ctx: GuideContext): ToolGuide[] {
  return [...agentGuides(ctx), ...appGuides(ctx)];
}
