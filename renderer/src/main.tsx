/** The UI's entry. Until the admin UI lands it shows where the gateway's endpoints are. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  const origin = window.location.origin;
  return (
    <main style={{ fontFamily: 'system-ui', padding: 24 }}>
      <h1>Switchyard</h1>
      <p>OpenAI base URL: <code>{origin}/v1</code></p>
      <p>Health: <a href={`${origin}/health`}>{origin}/health</a></p>
    </main>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
