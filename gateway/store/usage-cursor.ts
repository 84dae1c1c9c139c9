/**
 * The usage list's page cursor: the last row's time and id, opaque to clients. One that does not
 * decode is refused by the admin API rather than read as "from the start", which would hand a
 * client paging with a mangled cursor the first page again.
 */

export function encodeCursor(at: number, rowid: number): string {
  return Buffer.from(`${at}:${rowid}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: number; rowid: number } | undefined {
  const parts = Buffer.from(cursor, 'base64url').toString().split(':');
  if (parts.length !== 2 || !parts.every((part) => /^[0-9]{1,16}$/.test(part))) return undefined;
  const [at, rowid] = parts.map(Number) as [number, number];
  return { at, rowid };
}
