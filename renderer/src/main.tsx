/** The UI's entry: one QueryClient, the theme, the app. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/client';
import { App } from './app';
import { applyTheme } from './theme';
import './styles.css';

// A request refused for want of a session is not tried again: the session is looked at instead, and the shell says so once (features/session).
const client = new QueryClient({ defaultOptions: { queries: { retry: (failures, error) => failures < 1 && !(error instanceof ApiError && error.signedOut), refetchOnWindowFocus: false } } });
applyTheme();

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
