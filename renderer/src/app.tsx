/** The shell: login gate, navigation, and the page for the current path. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Session } from './api/types';
import { ConnectPage } from './features/connect/connect-page';
import { OverviewPage } from './features/overview/overview-page';
import { PlaygroundPage } from './features/playground/playground-page';
import { ProvidersPage } from './features/providers/providers-page';
import { RoutesPage } from './features/routes/routes-page';
import { LoginPage } from './features/session/login-page';
import { ContactLost, useGatewayContact, type Lost } from './features/session/contact';
import { ConfigFileNote } from './features/settings/config-file-note';
import { ConfigWarnings } from './features/settings/config-warnings';
import { SettingsPage } from './features/settings/settings-page';
import { UsagePage } from './features/usage/usage-page';
import { ErrorNote, Loading } from './ui/parts';
import { guardUnload, mayDiscard } from './ui/unsaved';

/** `edits`: the page changes the config, which a config file may own (ConfigFileNote) and whose warnings it says (ConfigWarnings). */
const PAGES: { path: string; label: string; render: () => ReactNode; edits?: boolean }[] = [
  { path: '/overview', label: 'Overview', render: () => <OverviewPage /> },
  { path: '/routes', label: 'Routes & deployments', render: () => <RoutesPage />, edits: true },
  { path: '/providers', label: 'Providers', render: () => <ProvidersPage />, edits: true },
  { path: '/playground', label: 'Playground', render: () => <PlaygroundPage /> },
  { path: '/connect', label: 'Connect a tool', render: () => <ConnectPage /> },
  { path: '/usage', label: 'Usage', render: () => <UsagePage /> },
  { path: '/settings', label: 'Settings', render: () => <SettingsPage />, edits: true },
];

/** The page's path; leaving a page with unsaved edits (a link, Back or Forward) asks first. */
function usePath(): [string, (path: string) => void] {
  const [path, setPath] = useState(window.location.pathname);
  const shown = useRef(path);
  shown.current = path;
  useEffect(() => {
    const onPop = () => {
      if (mayDiscard()) return setPath(window.location.pathname);
      // The browser has already moved the address: put back the page still shown.
      window.history.pushState(null, '', shown.current);
    };
    window.addEventListener('popstate', onPop);
    const unguard = guardUnload();
    return () => {
      window.removeEventListener('popstate', onPop);
      unguard();
    };
  }, []);
  return [
    path,
    (next) => {
      if (next === path || !mayDiscard()) return;
      window.history.pushState(null, '', next);
      setPath(next);
    },
  ];
}

export function App() {
  const { session, lost } = useGatewayContact();
  const [path, navigate] = usePath();
  // Data once had is kept through a failed look again (the gateway restarting): the page stays.
  if (!session.data) return session.isError ? <div className="login"><ErrorNote error={session.error} /></div> : <Loading what="Switchyard" />;
  if (!session.data.authenticated && !lost) return <LoginPage hint={session.data.loginLink} />;
  const page = PAGES.find((p) => p.path === path) ?? PAGES[0]!;
  return <Shell page={page} navigate={navigate} session={session.data} lost={lost} />;
}

/** The signed-in dashboard: the pages' links and the page shown, named in the window's title (a tab, the history). */
function Shell({ page, navigate, session, lost }: { page: (typeof PAGES)[number]; navigate: (path: string) => void; session: Session; lost: Lost }) {
  useEffect(() => {
    document.title = `${page.label} · Switchyard`;
  }, [page]);
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand"><span className="brand-dot" aria-hidden="true" />Switchyard</div>
        <div className="nav">
          {PAGES.map((p) => (
            <a
              key={p.path}
              href={p.path}
              aria-current={p === page ? 'page' : undefined}
              onClick={(event) => {
                // Ctrl-, Cmd- or Shift-click opens the page in a tab or window of its own, as any link does.
                if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
                event.preventDefault();
                navigate(p.path);
              }}
            >
              {p.label}
            </a>
          ))}
        </div>
        <div className="sidebar-foot">v{session.version} · {window.location.host}</div>
      </nav>
      <main>
        {lost ? <ContactLost lost={lost} hint={session.loginLink} /> : null}
        {page.edits ? <ConfigFileNote /> : null}
        {page.edits ? <ConfigWarnings /> : null}
        {page.render()}
      </main>
    </div>
  );
}
