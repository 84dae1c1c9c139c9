/** Where the CLI and its commands write: stdout and stderr, or a test's buffers. */
import { once } from 'node:events';

/** `out` returns false when the reader is behind (a pipe), and `drained` waits for it. */
export type Output = { out: (text: string) => boolean | void; err: (text: string) => void; drained?: () => Promise<unknown> };

export const stdio: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), drained: () => once(process.stdout, 'drain') };
