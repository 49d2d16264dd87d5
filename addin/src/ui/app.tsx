import { Badge, Button, Caption1, FluentProvider, Tab, TabList, Text, Title3, makeStyles, tokens, webLightTheme } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import type { Me } from '../../../shared/contracts/organisations.js';
import { createApi, type Connection } from '../api/client.js';
import { runExcel } from '../excel/run.js';
import type { Deps } from '../workflows/deps.js';
import { ActionsPanel } from './actions-panel.js';
import { ConnectPanel } from './connect-panel.js';
import { clearConnection, loadConnection, saveConnection } from './connection-store.js';
import { ImportPanel } from './import-panel.js';
import { OrdersPanel } from './orders-panel.js';

const useStyles = makeStyles({
  root: { minWidth: '300px', maxWidth: '100%', padding: tokens.spacingHorizontalM, boxSizing: 'border-box', fontFamily: tokens.fontFamilyBase },
  header: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalS, marginBottom: tokens.spacingVerticalS },
  who: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  identity: { display: 'flex', alignItems: 'center', gap: '4px', minWidth: 0 },
  ellipsis: { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 },
  badge: { flexShrink: 0 },
  body: { paddingTop: tokens.spacingVerticalM },
});

type TabId = 'orders' | 'import' | 'actions';

export function App({ initialMe = null }: { initialMe?: Me | null }) {
  const s = useStyles();
  const [conn, setConn] = useState<Connection | null>(loadConnection());
  const [me, setMe] = useState<Me | null>(initialMe);
  const [tab, setTab] = useState<TabId>('orders');
  const deps: Deps | null = useMemo(() => (conn ? { api: createApi(conn), run: runExcel } : null), [conn]);
  const can = (p: string) => !!me?.permissions.includes(p as never);

  return (
    <FluentProvider theme={webLightTheme}>
      <main className={s.root}>
        <header className={s.header}>
          <div className={s.who}>
            <Title3 as="h1">ExportDesk</Title3>
            {me ? (
              <Caption1 data-testid="identity" className={s.identity} title={`${me.organisation.legalName} · ${me.user.name} (${me.user.email})`}>
                <span className={s.ellipsis}>
                  {me.organisation.legalName} · {me.user.name}
                </span>{' '}
                <Badge size="small" appearance="tint" color="brand" className={s.badge}>
                  {me.user.role}
                </Badge>
              </Caption1>
            ) : (
              <Caption1>Export orders, from your sheets</Caption1>
            )}
          </div>
          {me ? (
            <Button
              size="small"
              appearance="subtle"
              onClick={() => {
                clearConnection();
                setConn(null);
                setMe(null);
              }}
            >
              Disconnect
            </Button>
          ) : null}
        </header>
        {!me || !deps ? (
          <ConnectPanel
            initial={conn}
            onConnected={(c, who) => {
              saveConnection(c);
              setConn(c);
              setMe(who);
            }}
          />
        ) : (
          <>
            <TabList selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as TabId)} size="small">
              <Tab value="orders" id="tab-orders" aria-controls="panel">
                Orders
              </Tab>
              <Tab value="import" id="tab-import" aria-controls="panel">
                Import
              </Tab>
              <Tab value="actions" id="tab-actions" aria-controls="panel">
                Order actions
              </Tab>
            </TabList>
            <div className={s.body} role="tabpanel" id="panel" aria-labelledby={`tab-${tab}`}>
              {/* All panels stay mounted (hidden when not shown), so a running publish or import keeps its state. */}
              <div hidden={tab !== 'orders'}>
                <OrdersPanel deps={deps} canWrite={can('orders:write')} />
              </div>
              <div hidden={tab !== 'import'}>
                <ImportPanel deps={deps} canWrite={can('orders:write')} />
              </div>
              <div hidden={tab !== 'actions'}>
                <ActionsPanel deps={deps} canGenerate={can('documents:write')} />
              </div>
            </div>
          </>
        )}
        {!me && conn ? <Text size={200}>Could not reconnect with the saved connection: check that the server is running and the key is still valid.</Text> : null}
      </main>
    </FluentProvider>
  );
}
