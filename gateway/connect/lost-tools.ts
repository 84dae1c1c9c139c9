/**
 * After the CLI changes the config (an import, a restore): each tool pointed at the data dir's
 * gateway that asks for a model the new config has no more (a route the file renamed or dropped)
 * is said now, on stderr, rather than found at the tool's next request.
 */
import { homedir } from 'node:os';
import type { Output } from '../cli-output';
import type { Config } from '../config/schema';
import { printable } from '../printable';
import type { Db } from '../store/db';
import { gatewayOf, UnusablePortError } from '../store/gateway-address';

export async function noteLostTools(db: Db, config: Config, io: Output, env: Record<string, string | undefined>): Promise<void> {
  let url: string;
  try {
    url = gatewayOf(db, undefined, env).url;
  } catch (error) {
    // A SWITCHYARD_PORT no URL can have: no tool can be pointed at it either.
    if (error instanceof UnusablePortError) return;
    throw error;
  }
  // Loaded here: the tools' settings parsers are for the commands that read them.
  const { lostToolLines } = await import('./connections');
  for (const line of lostToolLines({ home: env.HOME || homedir(), env }, url, config)) io.err(`Note: ${printable(line)}\n`);
}
