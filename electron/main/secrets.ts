/**
 * Provider API keys entered in the desktop UI, encrypted at rest with Electron's safeStorage (its
 * async API) in a file under userData. The gateway sees them through its Secrets interface as
 * `secret:NAME` references; `env:NAME` references keep working. On Linux with the `basic_text`
 * backend keys are not really protected, and the UI says so.
 */
import { readFile, writeFile, rename } from 'node:fs/promises';
import type { Secrets } from '../../gateway/config/secrets';

export interface Cipher {
  available(): Promise<boolean>;
  /** e.g. "gnome_libsecret", "kwallet", "basic_text", "keychain", "dpapi". */
  backend(): string;
  encrypt(text: string): Promise<Buffer>;
  decrypt(data: Buffer): Promise<string>;
}

export async function createEncryptedSecrets(options: { cipher: Cipher; file: string; env: Record<string, string | undefined> }): Promise<Secrets & { flushed(): Promise<void> }> {
  const { cipher, file, env } = options;
  const values = new Map<string, string>();
  /** Keys that could not be decrypted (e.g. the OS keyring changed): kept on disk, reported, never dropped with the rest. */
  const unreadable: string[] = [];
  let stored: Record<string, string> = {};
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
  } catch {
    stored = {};
  }
  for (const [name, data] of Object.entries(stored)) {
    try {
      values.set(name, await cipher.decrypt(Buffer.from(data, 'base64')));
    } catch {
      unreadable.push(name);
    }
  }
  const available = await cipher.available();
  // Writes in order; one that failed (a full disk) does not stop the ones after it.
  let writing: Promise<unknown> = Promise.resolve();
  /**
   * Atomically (write then rename), so a crash never leaves half a file; in use once on disk, so a
   * key the UI was told is saved is there after a restart, and one it was told is gone is gone.
   */
  const write = (next: () => Promise<Record<string, string>>, then: () => void): Promise<void> => {
    const done = writing.catch(() => undefined).then(async () => {
      const contents = await next();
      await writeFile(`${file}.tmp`, JSON.stringify(contents), { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      stored = contents;
      then();
    });
    writing = done;
    return done;
  };
  return {
    resolve(reference) {
      if (reference.startsWith('secret:')) return values.get(reference.slice(7));
      const match = /^env:(.+)$/.exec(reference);
      return match?.[1] ? env[match[1]] || undefined : undefined;
    },
    async store(providerName, value) {
      if (!available) throw new Error('This system offers no encrypted storage for keys: use an env:NAME reference instead');
      await write(async () => ({ ...stored, [providerName]: (await cipher.encrypt(value)).toString('base64') }), () => values.set(providerName, value));
      return `secret:${providerName}`;
    },
    async forget(name) {
      if (!(name in stored)) return;
      await write(async () => Object.fromEntries(Object.entries(stored).filter(([key]) => key !== name)), () => values.delete(name));
    },
    kept: () => Object.keys(stored),
    describe: () => ({ backend: cipher.backend(), protected: available && cipher.backend() !== 'basic_text', canStore: available, ...(unreadable.length > 0 ? { unreadable } : {}) }),
    flushed: () => writing.then(() => undefined, () => undefined),
  };
}
