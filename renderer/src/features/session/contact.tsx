/**
 * The page's contact with the gateway, lost while it is open: the session ended (its 30 days are up,
 * or its cookie is gone), or the gateway does not answer (stopped, or restarting). The page is not
 * swapped for the sign-in one or an error, which would drop unsaved edits: it stays as it is, says so
 * once at its top, and looks again every few seconds. Once the gateway answers with a session (a login
 * link opened in another tab, the gateway back), every query loads afresh and the page goes on, its
 * edits as typed.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ApiError, contactRegained, onContactLost } from '../../api/client';
import { sessionQuery } from '../../api/queries/session';
import type { Session } from '../../api/types';
import { LoginCommand } from './login-page';

const LOOK_AGAIN_MS = 3_000;

export type Lost = 'signed-out' | 'unreachable' | null;

/** The session, and how the page lost the gateway since it had a session (null: it has not). */
export function useGatewayContact(): { session: ReturnType<typeof useQuery<Session, Error>>; lost: Lost } {
  const client = useQueryClient();
  const [hadSession, setHadSession] = useState(false);
  const session = useQuery({
    ...sessionQuery(),
    refetchInterval: (query) => (hadSession && (query.state.data?.authenticated === false || query.state.status === 'error') ? LOOK_AGAIN_MS : false),
    // Back from the tab the login link was opened in: looked at then, not a few seconds later.
    refetchOnWindowFocus: hadSession,
  });
  const authenticated = session.data?.authenticated === true && !session.isError;
  const lost: Lost = !hadSession ? null : session.data?.authenticated === false ? 'signed-out' : session.error instanceof ApiError && session.error.unreachable ? 'unreachable' : null;
  const lostNow = useRef(lost);
  lostNow.current = lost;
  // A request any card or form made that found no session or no gateway has the page look again, unless it knows
  // already or is looking (the look itself failing is one such request: it would start itself over and over).
  useEffect(
    () =>
      onContactLost(() => {
        const { queryKey } = sessionQuery();
        if (!lostNow.current && client.isFetching({ queryKey }) === 0) void client.invalidateQueries({ queryKey });
      }),
    [client],
  );
  const lostBefore = useRef<Lost>(null);
  useEffect(() => {
    if (authenticated) setHadSession(true);
    if (authenticated && lostBefore.current) {
      contactRegained();
      void client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    }
    lostBefore.current = lost;
  }, [authenticated, lost, client]);
  return { session, lost };
}

export function ContactLost({ lost, hint }: { lost: Exclude<Lost, null>; hint: Session['loginLink'] }) {
  if (lost === 'unreachable') {
    return (
      <div className="notice warn" role="alert">
        <strong>The gateway does not answer</strong>: it has stopped, or is starting again. This page picks up as soon as it answers, with what you typed kept.
      </div>
    );
  }
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
