/** A login link is used up only together with the session it gives: a session that cannot be written leaves the link as it was. */
import { afterEach, describe, expect, it } from 'vitest';
import { createAdminSessions } from '../../gateway/store/admin-sessions';
import { openDatabase } from '../../gateway/store/db';
import { tempDir } from '../support/harness';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

describe('a login link', () => {
  it('is not used up when its session cannot be written, and signs in once it can', () => {
    const dir = tempDir();
    const db = openDatabase(dir.path);
    cleanups.push(() => dir.remove(), () => db.close());
    const sessions = createAdminSessions(db);
    const token = sessions.issueLoginToken();
    // The session's row refused after the link's row was marked used, as a store locked out (or full) between the two would.
    db.exec("CREATE TEMP TRIGGER refuse BEFORE INSERT ON admin_sessions BEGIN SELECT RAISE(ABORT, 'refused'); END");
    expect(() => sessions.redeem(token)).toThrow('refused');
    db.exec('DROP TRIGGER refuse');
    const session = sessions.redeem(token);
    expect(session).toEqual(expect.any(String));
    expect(sessions.valid(session)).toBe(true);
    expect(sessions.redeem(token)).toBeUndefined();
  });
});
