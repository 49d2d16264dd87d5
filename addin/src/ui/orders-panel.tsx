import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Button, Dropdown, Field, Input, Option, Spinner, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { ORDER_STATUSES } from '../../../shared/domain/order-status.js';
import type { Party } from '../../../shared/contracts/parties.js';
import type { OrderFilters } from '../api/client.js';
import { selectCellOf } from '../workflows/actions.js';
import type { Deps } from '../workflows/deps.js';
import { pullOrders } from '../workflows/pull.js';
import { publishChanges, type PublishReport } from '../workflows/publish.js';
import { refreshSelectedRows } from '../workflows/refresh.js';
import { ErrorBar, Notice, useAction, useStyles } from './common.js';
import { OutcomeList } from './outcome-list.js';

type Busy = null | 'pull' | 'publish' | 'refresh';

/** Pull orders into the sheet, publish edits, refresh selected rows. */
export function OrdersPanel({ deps, canWrite }: { deps: Deps; canWrite: boolean }) {
  const s = useStyles();
  const [filters, setFilters] = useState<OrderFilters>({});
  const [buyers, setBuyers] = useState<Party[]>([]);
  const [progress, setProgress] = useState('');
  const [notice, setNotice] = useState<{ intent: 'success' | 'warning' | 'info'; text: string } | null>(null);
  const [pendingPull, setPendingPull] = useState<number | null>(null);
  const [report, setReport] = useState<PublishReport | null>(null);

  useEffect(() => {
    deps.api.buyers().then(setBuyers, () => setBuyers([]));
  }, [deps]);

  const { busy, error, setError, run: act } = useAction<Exclude<Busy, null>>(
    () => setNotice(null),
    () => setProgress(''),
  );

  const pull = (force = false) =>
    act('pull', async () => {
      setPendingPull(null);
      const r = await pullOrders(deps, filters, { force, onProgress: setProgress });
      if (r.status === 'unpublished') setPendingPull(r.rows);
      else {
        setReport(null);
        setNotice({ intent: r.rows ? 'success' : 'info', text: r.rows ? `Pulled ${r.orders} orders (${r.rows} lines) into the Orders sheet.` : 'No orders match these filters.' });
      }
    });

  const publish = () =>
    act('publish', async () => {
      const r = await publishChanges(deps, { onProgress: (d, t) => setProgress(`Publishing batch ${d} of ${t}…`) });
      setReport(r);
      const total = r.saved + r.rejected + r.conflicts + r.unchanged;
      setNotice(
        total === 0
          ? { intent: 'info', text: 'Nothing to publish: no row was edited since the pull.' }
          : { intent: r.rejected || r.conflicts ? 'warning' : 'success', text: `Saved ${r.saved} · rejected ${r.rejected} · conflicts ${r.conflicts}${r.unchanged ? ` · unchanged ${r.unchanged}` : ''}` },
      );
    });

  const refresh = () =>
    act('refresh', async () => {
      const r = await refreshSelectedRows(deps);
      setNotice({ intent: r.gone ? 'warning' : 'success', text: `Reloaded ${r.rows} row(s) of ${r.orders} order(s) from the server${r.gone ? `; ${r.gone} line(s) no longer exist` : ''}.` });
    });

  const set = (patch: Partial<OrderFilters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <div className={s.stack}>
      <form
        className={s.stack}
        aria-label="Pull and publish"
        onSubmit={(e) => {
          e.preventDefault();
          void pull();
        }}
      >
        <div className={s.row}>
          <Button appearance="primary" type="submit" disabled={!!busy}>
            {busy === 'pull' ? <Spinner size="tiny" label="Pulling…" /> : 'Pull orders'}
          </Button>
          <Button onClick={publish} disabled={!!busy || !canWrite} title={canWrite ? undefined : 'Your role cannot edit orders'}>
            {busy === 'publish' ? <Spinner size="tiny" label="Publishing…" /> : 'Publish changes'}
          </Button>
          <Button onClick={refresh} disabled={!!busy}>
            {busy === 'refresh' ? <Spinner size="tiny" label="Refreshing…" /> : 'Refresh selected rows'}
          </Button>
        </div>
        <Accordion collapsible defaultOpenItems={[]}>
          <AccordionItem value="filters">
            <AccordionHeader size="small">Filters for Pull ({Object.values(filters).filter((v) => (Array.isArray(v) ? v.length : v)).length} set)</AccordionHeader>
            <AccordionPanel>
              <div className={s.stack}>
                <Field label="Status">
                  <Dropdown
                    multiselect
                    placeholder="Any status"
                    selectedOptions={filters.status ?? []}
                    onOptionSelect={(_, d) => set({ status: d.selectedOptions })}
                    value={(filters.status ?? []).join(', ')}
                  >
                    {ORDER_STATUSES.map((st) => (
                      <Option key={st} value={st}>
                        {st.replace(/_/g, ' ')}
                      </Option>
                    ))}
                  </Dropdown>
                </Field>
                <Field label="Buyer">
                  <Dropdown
                    placeholder="Any buyer"
                    selectedOptions={filters.buyerId ? [filters.buyerId] : []}
                    value={buyers.find((b) => b.id === filters.buyerId)?.name ?? ''}
                    onOptionSelect={(_, d) => set({ buyerId: d.optionValue || undefined })}
                  >
                    <Option value="">Any buyer</Option>
                    {buyers.map((b) => (
                      <Option key={b.id} value={b.id}>
                        {b.name}
                      </Option>
                    ))}
                  </Dropdown>
                </Field>
                <div className={s.row}>
                  <Field label="Destination" className={s.grow}>
                    <Input value={filters.destinationCountry ?? ''} maxLength={2} placeholder="DE" onChange={(_, d) => set({ destinationCountry: d.value.toUpperCase() || undefined })} />
                  </Field>
                  <Field label="Reference or PO" className={s.grow}>
                    <Input value={filters.q ?? ''} onChange={(_, d) => set({ q: d.value || undefined })} />
                  </Field>
                </div>
                <div className={s.row}>
                  <Field label="Ship from" className={s.grow}>
                    <Input type="date" value={filters.shipFrom ?? ''} onChange={(_, d) => set({ shipFrom: d.value || undefined })} />
                  </Field>
                  <Field label="Ship to" className={s.grow}>
                    <Input type="date" value={filters.shipTo ?? ''} onChange={(_, d) => set({ shipTo: d.value || undefined })} />
                  </Field>
                </div>
              </div>
            </AccordionPanel>
          </AccordionItem>
        </Accordion>
      </form>
      {progress ? <Text className={s.muted} role="status">{progress}</Text> : null}
      {pendingPull !== null ? (
        <Notice intent="warning" title="Unpublished changes">
          {pendingPull} edited row(s) have not been published. Pulling replaces the sheet and loses them.{' '}
          <Button size="small" onClick={() => pull(true)}>
            Pull anyway
          </Button>
        </Notice>
      ) : null}
      <ErrorBar error={error} />
      {notice ? <Notice intent={notice.intent}>{notice.text}</Notice> : null}
      {report ? (
        <OutcomeList
          label="Publish results"
          items={report.outcomes
            .filter((o) => o.tone !== 'neutral')
            .map((o, i) => ({
              key: `${i}`,
              tone: o.tone,
              label: o.tone === 'saved' ? 'Saved' : o.tone === 'conflict' ? 'Conflict' : 'Rejected',
              text: `${o.reference ? `${o.reference}: ` : ''}${o.message}`,
              onSelect: () => void selectCellOf(deps, report.layout, o.row, o.column).catch(setError),
            }))}
        />
      ) : null}
    </div>
  );
}
