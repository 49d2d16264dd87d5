import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Button, Dropdown, Field, Input, Option, ProgressBar, Radio, RadioGroup, Spinner, Text, makeStyles } from '@fluentui/react-components';
import { useRef, useState } from 'react';
import type { ImportReport } from '../../../shared/contracts/imports.js';
import { IMPORT_FIELDS, IMPORT_FIELD_LABELS, REQUIRED_IMPORT_FIELDS, columnIndex, columnLetter, type ImportField } from '../../../shared/import/fields.js';
import { selectCell } from '../excel/import-range.js';
import type { Deps } from '../workflows/deps.js';
import { commitImport, dryRun, readSource, saveMapping, writeResults, type ImportSource } from '../workflows/import.js';
import { ErrorBar, Notice, useStyles } from './common.js';
import { OutcomeList } from './outcome-list.js';

type Phase = 'idle' | 'reading' | 'checking' | 'importing';

const useImportStyles = makeStyles({
  mapping: { display: 'grid', gridTemplateColumns: 'minmax(90px, 38%) minmax(0, 1fr)', columnGap: '8px', rowGap: '6px', alignItems: 'center' },
  dropdown: { minWidth: 0, width: '100%' },
  label: { fontSize: '12px' },
});

/** Import the user's own order sheet: map columns, check (dry run), import with progress and cancel. */
export function ImportPanel({ deps, canWrite }: { deps: Deps; canWrite: boolean }) {
  const s = useStyles();
  const m = useImportStyles();
  const [source, setSource] = useState<ImportSource | null>(null);
  const [columns, setColumns] = useState<Partial<Record<ImportField, number>>>({});
  const [onExisting, setOnExisting] = useState<'create_only' | 'upsert'>('create_only');
  const [datePreference, setDatePreference] = useState<'' | 'DMY' | 'MDY'>('');
  const [currency, setCurrency] = useState('');
  const [portOfLoading, setPortOfLoading] = useState('');
  const [phase, setPhase] = useState<Phase>('idle');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [outcome, setOutcome] = useState<{ intent: 'success' | 'warning' | 'info' | 'error'; text: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);

  const options = () => ({
    columns,
    onExisting,
    defaults: {
      ...(datePreference ? { datePreference } : {}),
      ...(currency.trim() ? { currency: currency.trim() } : {}),
      ...(portOfLoading.trim() ? { portOfLoading: portOfLoading.trim() } : {}),
    },
  });

  async function run(p: Phase, fn: () => Promise<void>) {
    setPhase(p);
    setError(null);
    try {
      await fn();
    } catch (e) {
      if ((e as Error).name !== 'AbortError') setError(e);
    } finally {
      setPhase('idle');
      setProgress(null);
    }
  }

  const read = () =>
    run('reading', async () => {
      const src = await readSource(deps);
      setSource(src);
      setColumns(src.columns);
      if (src.currency) setCurrency(src.currency);
      setReport(null);
      setOutcome(null);
    });

  const check = () =>
    run('checking', async () => {
      const src = source!;
      await saveMapping(deps, src, columns);
      abort.current = new AbortController();
      const r = await dryRun(deps, src, options(), abort.current.signal);
      setReport(r);
      await writeResults(deps, src, r.rows, 'check');
      const sm = r.summary;
      setOutcome(
        sm.errorRows
          ? { intent: 'error', text: `${sm.errorRows} row(s) have errors; nothing can be imported until they are fixed. ${sm.orders} orders, ${sm.lineRows} lines read.` }
          : { intent: 'success', text: `Ready: ${sm.toCreate} new, ${sm.toUpdate} updated, ${sm.unchanged} unchanged orders (${sm.lineRows} lines; ${sm.skippedRows} blank or subtotal rows skipped${sm.warningRows ? `; ${sm.warningRows} warnings` : ''}).` },
      );
    });

  const commit = () =>
    run('importing', async () => {
      const src = source!;
      await saveMapping(deps, src, columns);
      abort.current = new AbortController();
      const r = await commitImport(deps, src, options(), { signal: abort.current.signal, onProgress: setProgress });
      setReport(r.report);
      const sm = r.report.summary;
      setOutcome(
        sm.errorRows
          ? { intent: 'error', text: `${sm.errorRows} row(s) have errors; nothing was imported.` }
          : r.cancelled
            ? { intent: 'warning', text: `Cancelled: ${r.committedOrders} order(s) were imported before the cancel; the rest were not (marked beside the rows).` }
            : { intent: 'success', text: `Imported ${r.committedOrders} orders (${sm.lineRows} lines). Results are beside each row.` },
      );
    });

  const required = new Set(REQUIRED_IMPORT_FIELDS);
  const missing = REQUIRED_IMPORT_FIELDS.filter((f) => columns[f] === undefined);
  const problems = (report?.rows ?? []).flatMap((r) =>
    r.messages
      .filter((m) => m.severity !== 'note')
      .map((m, i) => ({
        key: `${r.row}-${i}`,
        tone: m.severity === 'error' ? ('error' as const) : ('warning' as const),
        label: m.cell ?? `Row ${r.row}`,
        text: m.message,
        onSelect: () => {
          const col = m.column ? columnIndex(m.column) : source!.range.columnIndex;
          void deps.run((ctx) => selectCell(ctx, source!.range.sheet, r.row - 1, col ?? 0)).catch(setError);
        },
      })),
  );

  return (
    <div className={s.stack}>
      <Text className={s.muted}>
        Select your order sheet (or click any cell in it), then read it. One row per order line; lines with the same order reference become one order.
      </Text>
      <div className={s.row}>
        <Button appearance={source ? 'secondary' : 'primary'} onClick={read} disabled={phase !== 'idle'}>
          {phase === 'reading' ? <Spinner size="tiny" label="Reading…" /> : source ? 'Read selection again' : 'Use selection'}
        </Button>
      </div>
      {source ? (
        <>
          <Text>
            <strong>{source.range.sheet}</strong> {source.range.address.split('!').pop()} — header on row {source.range.rowIndex + source.headerRow + 1},{' '}
            {source.range.values.length - source.headerRow - 1} data rows
          </Text>
          <Accordion collapsible multiple defaultOpenItems={missing.length ? ['mapping'] : []}>
            <AccordionItem value="mapping">
              <AccordionHeader size="small">
                Column mapping: {Object.keys(columns).length} of {IMPORT_FIELDS.length} fields (saved with this workbook)
              </AccordionHeader>
              <AccordionPanel>
                <div className={m.mapping} role="group" aria-label="Column mapping">
                  {IMPORT_FIELDS.map((field) => {
                    const idx = columns[field];
                    const id = `map-${field}`;
                    return [
                      <label key={`${field}-l`} htmlFor={id} className={m.label}>
                        {IMPORT_FIELD_LABELS[field]}
                        {required.has(field) ? ' *' : ''}
                      </label>,
                      <Dropdown
                        key={`${field}-d`}
                        id={id}
                        size="small"
                        className={m.dropdown}
                        aria-label={`Column for ${IMPORT_FIELD_LABELS[field]}`}
                        value={idx === undefined ? '(not mapped)' : `${columnLetter(source.range.columnIndex + idx)}: ${source.headers[idx] || '(no header)'}`}
                        selectedOptions={idx === undefined ? ['-1'] : [String(idx)]}
                        onOptionSelect={(_, d) => {
                          const n = Number(d.optionValue);
                          setColumns((c) => {
                            const next = { ...c };
                            if (n < 0) delete next[field];
                            else next[field] = n;
                            return next;
                          });
                        }}
                      >
                        <Option value="-1">(not mapped)</Option>
                        {source.headers.map((h, i) => (
                          <Option key={i} value={String(i)} text={`${columnLetter(source.range.columnIndex + i)}: ${h || '(no header)'}`}>
                            {`${columnLetter(source.range.columnIndex + i)}: ${h || '(no header)'}`}
                          </Option>
                        ))}
                      </Dropdown>,
                    ];
                  })}
                </div>
              </AccordionPanel>
            </AccordionItem>
            <AccordionItem value="options">
              <AccordionHeader size="small">Options: {onExisting === 'upsert' ? 'update existing orders' : 'new orders only'}{datePreference ? `, ${datePreference === 'DMY' ? 'day' : 'month'} first` : ''}{currency ? `, ${currency}` : ''}</AccordionHeader>
              <AccordionPanel>
                <div className={s.stack}>
          <Field label="Orders that already exist">
            <RadioGroup value={onExisting} onChange={(_, d) => setOnExisting(d.value as never)}>
              <Radio value="create_only" label="Create new orders only (an existing reference is an error)" />
              <Radio value="upsert" label="Update existing editable orders" />
            </RadioGroup>
          </Field>
          <Field label="Dates like 05/12/2026" hint="Without a choice, an ambiguous date is reported instead of guessed.">
            <RadioGroup value={datePreference} onChange={(_, d) => setDatePreference(d.value as never)} layout="horizontal">
              <Radio value="" label="Ask" />
              <Radio value="DMY" label="Day first" />
              <Radio value="MDY" label="Month first" />
            </RadioGroup>
          </Field>
          <div className={s.row}>
            <Field label="Default currency" className={s.grow}>
              <Input value={currency} onChange={(_, d) => setCurrency(d.value)} placeholder="USD" />
            </Field>
            <Field label="Default port of loading" className={s.grow}>
              <Input value={portOfLoading} onChange={(_, d) => setPortOfLoading(d.value)} placeholder="INNSA" />
            </Field>
          </div>
                </div>
              </AccordionPanel>
            </AccordionItem>
          </Accordion>
          {missing.length ? <Notice intent="warning">Map these columns first: {missing.map((f) => IMPORT_FIELD_LABELS[f]).join(', ')}</Notice> : null}
          <div className={s.row}>
            <Button onClick={check} disabled={phase !== 'idle' || !!missing.length}>
              {phase === 'checking' ? <Spinner size="tiny" label="Checking…" /> : 'Check (dry run)'}
            </Button>
            <Button appearance="primary" onClick={commit} disabled={phase !== 'idle' || !!missing.length || !canWrite}>
              Import
            </Button>
            {phase === 'importing' || phase === 'checking' ? (
              <Button onClick={() => abort.current?.abort()} aria-label="Cancel import">
                Cancel
              </Button>
            ) : null}
          </div>
          {phase === 'importing' ? (
            <Field validationMessage={progress ? `Batch ${progress.done} of ${progress.total}` : 'Checking every row first…'} validationState="none">
              <ProgressBar value={progress && progress.total ? progress.done / progress.total : undefined} aria-label="Import progress" />
            </Field>
          ) : null}
        </>
      ) : null}
      <ErrorBar error={error} />
      {outcome ? <Notice intent={outcome.intent}>{outcome.text}</Notice> : null}
      <OutcomeList label="Import problems" items={problems} />
    </div>
  );
}
