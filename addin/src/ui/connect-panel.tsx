import { Button, Field, Input, Spinner } from '@fluentui/react-components';
import { useState } from 'react';
import type { Me } from '../../../shared/contracts/organisations.js';
import { createApi, type Connection } from '../api/client.js';
import { defaultBaseUrl } from './connection-store.js';
import { ErrorBar, useStyles } from './common.js';

/** API URL + key; checks them with GET /me before keeping them. */
export function ConnectPanel({ initial, onConnected }: { initial: Connection | null; onConnected: (c: Connection, me: Me) => void }) {
  const s = useStyles();
  const [baseUrl, setBaseUrl] = useState(initial?.baseUrl ?? defaultBaseUrl());
  const [apiKey, setApiKey] = useState(initial?.apiKey ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function connect(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const conn = { baseUrl: baseUrl.trim(), apiKey: apiKey.trim() };
      const me = await createApi(conn).me();
      onConnected(conn, me);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={s.stack} onSubmit={connect} aria-label="Connect to ExportDesk">
      <Field label="API URL" hint="The ExportDesk server; usually this pane's own address.">
        <Input value={baseUrl} onChange={(_, d) => setBaseUrl(d.value)} type="url" required name="baseUrl" />
      </Field>
      <Field label="API key" hint="Printed by npm start on first run, or issued with: npm run cli -- key create. Kept in this add-in's storage on this computer, never in the workbook." required>
        <Input value={apiKey} onChange={(_, d) => setApiKey(d.value)} type="password" required name="apiKey" autoComplete="off" placeholder="exd_…" />
      </Field>
      <ErrorBar error={error} />
      <div className={s.row}>
        <Button appearance="primary" type="submit" disabled={busy || !apiKey.trim() || !baseUrl.trim()}>
          {busy ? <Spinner size="tiny" label="Connecting…" /> : 'Connect'}
        </Button>
      </div>
    </form>
  );
}
