import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { UserError } from '../workflows/deps.js';

export const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'end' },
  grow: { flexGrow: 1, minWidth: '120px' },
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, margin: 0, padding: 0, listStyleType: 'none' },
  item: {
    display: 'block',
    width: '100%',
    textAlign: 'left',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    cursor: 'pointer',
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase200,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':disabled': { cursor: 'default' },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  detail: { display: 'block', color: tokens.colorNeutralForeground3, marginTop: '2px' },
  docRow: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalS, borderBottomWidth: '1px', borderBottomStyle: 'solid', borderBottomColor: tokens.colorNeutralStroke3, paddingBottom: '2px' },
  docName: { minWidth: 0, fontSize: tokens.fontSizeBase200 },
  muted: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  empty: { color: tokens.colorNeutralForeground3, padding: tokens.spacingVerticalL, textAlign: 'center' },
});

/** A readable message for anything a workflow throws. */
export function describeError(e: unknown): { title: string; body: string } {
  if (e instanceof UserError) return { title: 'Cannot do that yet', body: e.message };
  if (e instanceof Error && e.name === 'ImportInterrupted') return { title: 'Import stopped part-way', body: e.message };
  if (e instanceof ApiError) {
    const details = e.details.slice(0, 5).map((d) => `${d.path}: ${d.message}`).join('; ');
    const title = e.status === 401 ? 'Not signed in' : e.status === 403 ? 'Not allowed for your role' : e.status === 0 ? 'Server unreachable' : 'The server refused';
    return { title, body: details ? `${e.message} (${details})` : e.message };
  }
  const err = e as { message?: string; code?: string };
  return { title: err.code ? `Excel: ${err.code}` : 'Something went wrong', body: err.message ?? String(e) };
}

export function ErrorBar({ error }: { error: unknown }) {
  if (!error) return null;
  const { title, body } = describeError(error);
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {body}
      </MessageBarBody>
    </MessageBar>
  );
}

export function Notice({ intent, title, children }: { intent: 'success' | 'warning' | 'info' | 'error'; title?: string; children: ReactNode }) {
  return (
    <MessageBar intent={intent} role="status">
      <MessageBarBody>
        {title ? <MessageBarTitle>{title}</MessageBarTitle> : null}
        {children}
      </MessageBarBody>
    </MessageBar>
  );
}

/**
 * One action at a time with its busy state and error: `run(kind, fn)` marks `kind` busy, clears the last error,
 * runs `fn` and keeps what it throws for an {@link ErrorBar}.
 */
export function useAction<K extends string>(onStart?: () => void, onEnd?: () => void) {
  const [busy, setBusy] = useState<K | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function run(kind: K, fn: () => Promise<void>) {
    setBusy(kind);
    setError(null);
    onStart?.();
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
      onEnd?.();
    }
  }
  return { busy, error, setError, run };
}
