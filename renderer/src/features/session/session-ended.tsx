/**
 * A session that ends while the dashboard is open (its 30 days are up, or its cookie is gone). The
 * page is not swapped for the sign-in one, which would drop unsaved edits: it stays as it is, says
 * so once, and looks for a session every few seconds. Once signed in again (a login link opened in
 * another tab), every query loads afresh and the page goes on, its edits as typed.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { onSignedOut } from '../../api/client';
import { sessionQuery } from '../../api/queries/session';
import type { Session } from '../../api/types';
import { LoginCommand } from './login-page';

const LOOK_AGAIN_MS = 3_000;

/** The session, and whether one this page had has ended. */
export function useAdminSession() {
  const client = useQueryClient();
  const [hadSession, setHadSession] = useState(false);
  const session = useQuery({
    ...sessionQuery(),
    refetchInterval: (query) => (hadSession && query.state.data?.authenticated === false ? LOOK_AGAIN_MS : false),
    // Back from the tab the login link was opened in: looked at then, not a few seconds later.
    refetchOnWindowFocus: hadSession,
  });
  const authenticated = session.data?.authenticated === true;
  const ended = hadSession && session.data?.authenticated === false;
  // Any request refused for want of a session has the session looked at again, unless known ended.
  useEffect(
    () =>
      onSignedOut(() => {
        if (client.getQueryData<Session>(sessionQuery().queryKey)?.authenticated !== false) void client.invalidateQueries({ queryKey: sessionQuery().queryKey });
      }),
    [client],
  );
  const endedBefore = useRef(false);
  useEffect(() => {
    if (authenticated) setHadSession(true);
    if (authenticated && endedBefore.current) void client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    endedBefore.current = ended;
  }, [authenticated, ended, client]);
  return { session, ended };
}

export function SessionEnded({ hint }: { hint: Session['loginLink'] }) {
  // The desktop app signs its window in again by itself (electron/main/desktop.ts): no command to run there.
  if ('switchyardDesktop' in window) {
    return (
      <div className="notice warn" role="alert">
        <strong>Your session has ended</strong>, so this page can neither load nor save. Switchyard signs this window in again within a few seconds, and the page then picks up, with what you typed kept.
      </div>
    );
  }
  return (
    <div className="notice warn" role="alert">
      <strong>Your session has ended</strong>, so this page can neither load nor save. Open a new login link in another tab or window; for one, run:
      <LoginCommand hint={hint} />
      This page picks up again as soon as you are signed in there, with what you typed kept.
    </div>
  );
}
