import { createRoot } from 'react-dom/client';
import { createApi } from './api/client.js';
import { App } from './ui/app.js';
import { loadConnection } from './ui/connection-store.js';

/** Start once Office is ready; reconnect silently with a saved connection when it still works. */
async function start() {
  await Office.onReady();
  const saved = loadConnection();
  const me = saved ? await createApi(saved).me().catch(() => null) : null;
  createRoot(document.getElementById('root')!).render(<App initialMe={me} />);
}

void start();
