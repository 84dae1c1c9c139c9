/** Signing in: the page a visitor without a session sees, and the command that issues a login link. */
import type { Session } from '../../api/types';
import { Snippet } from '../../ui/parts';

/** A link is a row in the gateway's own database: the command names its data dir, or a link from another is refused. */
export function LoginCommand({ hint }: { hint: Session['loginLink'] }) {
  const dataDir = hint.dataDir ?? (hint.hiddenDataDir ? 'DIR' : undefined);
  return (
    <>
      <Snippet>npm run switchyard -- login-link --port {window.location.port || '80'}{dataDir ? ` --data-dir ${dataDir}` : ''}</Snippet>
      {hint.hiddenDataDir ? <p>where DIR is the data dir the gateway was started with (<code>--data-dir</code> or <code>SWITCHYARD_HOME</code>).</p> : null}
    </>
  );
}

export function LoginPage({ hint }: { hint: Session['loginLink'] }) {
  const login = new URLSearchParams(window.location.search).get('login');
  return (
    <main className="login card">
      <h1>Sign in to Switchyard</h1>
      {login === 'expired' ? <div className="notice warn" role="alert">That login link was already used or has expired.</div> : null}
      {login === 'busy' ? (
        <div className="notice warn" role="alert">
          Switchyard&apos;s store is busy: another program holds switchyard.db&apos;s write lock, such as a sqlite3 shell or database browser with changes not yet
          written. The link was not used: open it again once that program is done.
        </div>
      ) : null}
      <p>The dashboard opens with the one-time link Switchyard printed when it started, like:</p>
      <Snippet>Dashboard: http://{window.location.host}/?token=...</Snippet>
      <p>For a new link, run:</p>
      <LoginCommand hint={hint} />
      <p className="muted">The OpenAI-compatible API at <code>{window.location.origin}/v1</code> needs no sign-in.</p>
    </main>
  );
}
