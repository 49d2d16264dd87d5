import { Badge, Button, Spinner, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { ExportDocument } from '../../../shared/contracts/documents.js';
import type { ValidationResult } from '../../../shared/contracts/validation.js';
import { generateForSelected, selectCellOf, validateSelected, type LocatedFinding, type SelectedOrder } from '../workflows/actions.js';
import type { Deps } from '../workflows/deps.js';
import { ErrorBar, Notice, useAction, useStyles } from './common.js';
import { OutcomeList } from './outcome-list.js';

const KIND_NAMES: Record<string, string> = {
  proforma_invoice: 'Proforma invoice',
  commercial_invoice: 'Commercial invoice',
  packing_list: 'Packing list',
  certificate_of_origin: 'Certificate of origin application',
  shipping_instructions: 'Shipping instructions',
};

/** Validate the selected order against its destination's rules; generate and download its documents. */
export function ActionsPanel({ deps, canGenerate }: { deps: Deps; canGenerate: boolean }) {
  const s = useStyles();
  const { busy, error, setError, run: act } = useAction<'validate' | 'generate'>();
  const [validation, setValidation] = useState<{ order: SelectedOrder; result: ValidationResult; findings: LocatedFinding[] } | null>(null);
  const [docs, setDocs] = useState<{ order: SelectedOrder; documents: ExportDocument[] } | null>(null);

  /** The file comes with the API key, so it is fetched and saved from a blob (a plain link would be unauthenticated). */
  async function download(doc: ExportDocument) {
    try {
      const blob = await deps.api.downloadDocument(doc);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${doc.number.replace(/[^\w.-]+/g, '-')}-${doc.kind}.${doc.format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div className={s.stack}>
      <Text className={s.muted}>Select any cell of an order in the Orders sheet, then:</Text>
      <div className={s.row}>
        <Button appearance="primary" disabled={!!busy} onClick={() => act('validate', async () => setValidation(await validateSelected(deps)))}>
          {busy === 'validate' ? <Spinner size="tiny" label="Validating…" /> : 'Validate order'}
        </Button>
        <Button disabled={!!busy || !canGenerate} onClick={() => act('generate', async () => setDocs(await generateForSelected(deps)))} title={canGenerate ? undefined : 'Your role cannot generate documents'}>
          {busy === 'generate' ? <Spinner size="tiny" label="Generating…" /> : 'Generate documents'}
        </Button>
      </div>
      <ErrorBar error={error} />
      {validation ? (
        <section className={s.stack} aria-label="Validation findings">
          <Notice
            intent={!validation.result.valid ? 'error' : validation.findings.some((f) => f.severity === 'warning') ? 'warning' : validation.findings.length ? 'info' : 'success'}
            title={`${validation.order.reference}: ${validation.result.valid ? 'no blocking problem' : 'blocking problems'}`}
          >
            {validation.findings.length} finding(s) against the rules for{' '}
            {validation.result.templateIds.filter((t) => t !== 'default').map((t) => t.toUpperCase()).join(' · ') || 'all destinations'}.
            {validation.result.requiredDocuments.length ? ` Documents required: ${[...new Set(validation.result.requiredDocuments.map((d) => d.name))].join(', ')}.` : ''}
          </Notice>
          <OutcomeList
            label="Findings"
            items={validation.findings.map((f, i) => ({
              key: `${i}`,
              tone: f.severity,
              label: f.severity,
              text: f.message,
              detail: [f.hint, `Source: ${f.source}`].filter(Boolean).join(' — '),
              onSelect: () => void selectCellOf(deps, validation.order.layout, f.row, f.column).catch(setError),
            }))}
          />
        </section>
      ) : null}
      {docs ? (
        <section className={s.stack} aria-label="Documents">
          <Notice intent="success" title={`${docs.order.reference}: ${docs.documents.length} draft document(s), number ${[...new Set(docs.documents.map((d) => d.number))].join(', ')}`}>
            Drafts from the order as saved on the server. Approve and finalise them in ExportDesk before sending.
          </Notice>
          <ul className={s.list} aria-label="Generated documents">
            {docs.documents.map((d) => (
              <li key={d.id} className={s.docRow}>
                <span className={s.docName}>
                  {KIND_NAMES[d.kind] ?? d.kind}{' '}
                  <Badge appearance="outline" size="small">
                    {d.format}
                  </Badge>
                  {d.findings.some((f) => f.severity === 'error') ? (
                    <Badge color="danger" size="small" appearance="tint">
                      has errors
                    </Badge>
                  ) : null}
                </span>
                <Button size="small" appearance="subtle" onClick={() => void download(d)} aria-label={`Download ${KIND_NAMES[d.kind] ?? d.kind} ${d.format}`}>
                  Download
                </Button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
