/**
 * How the gateway reaches secret values. Config holds only references (`env:NAME`); the headless
 * gateway resolves them from the environment, the desktop app from its encrypted store.
 */
export interface Secrets {
  /** The value behind a reference, or undefined when it is not set. */
  resolve(reference: string): string | undefined;
  /**
   * Stores a key entered in the UI; resolves with its reference once the key is kept (on disk,
   * encrypted), rejects when it could not be. Absent where keys live only in the environment.
   */
  store?(providerName: string, value: string): Promise<string>;
  /** Deletes a kept value (the webhook's URL, removed in Settings); resolves once it is off the disk. */
  forget?(name: string): Promise<void>;
  /** The names of the values kept (those that could not be decrypted too). */
  kept?(): string[];
  /** Where keys live and whether they are protected at rest, for the UI to say plainly. */
  describe?(): { backend: string; protected: boolean; canStore: boolean; unreadable?: string[] };
}

export function envSecrets(env: Record<string, string | undefined>): Secrets {
  return {
    resolve(reference) {
      const match = /^env:(.+)$/.exec(reference);
      const value = match?.[1] ? env[match[1]] : undefined;
      return value ? value : undefined;
    },
    describe: () => ({ backend: 'environment variables', protected: true, canStore: false }),
  };
}
