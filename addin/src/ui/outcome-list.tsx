import { Badge } from '@fluentui/react-components';
import { useStyles } from './common.js';

export interface ListItem {
  key: string;
  tone: 'saved' | 'rejected' | 'conflict' | 'neutral' | 'error' | 'warning' | 'info';
  label: string;
  text: string;
  /** Secondary line (hint, source). */
  detail?: string;
  onSelect?: () => void;
}

const BADGE: Record<ListItem['tone'], 'success' | 'danger' | 'warning' | 'informative' | 'subtle'> = {
  saved: 'success',
  rejected: 'danger',
  error: 'danger',
  conflict: 'warning',
  warning: 'warning',
  neutral: 'subtle',
  info: 'informative',
};

/** A list of clickable results (a click selects the cell concerned). */
export function OutcomeList({ items, label, max = 200 }: { items: ListItem[]; label: string; max?: number }) {
  const s = useStyles();
  if (!items.length) return null;
  return (
    <ul className={s.list} aria-label={label}>
      {items.slice(0, max).map((it) => (
        <li key={it.key}>
          <button type="button" className={s.item} onClick={it.onSelect} disabled={!it.onSelect} data-tone={it.tone} title={it.onSelect ? 'Select the cell in the sheet' : undefined}>
            <Badge appearance="tint" color={BADGE[it.tone]} size="small">
              {it.label}
            </Badge>{' '}
            {it.text}
            {it.detail ? <span className={s.detail}>{it.detail}</span> : null}
          </button>
        </li>
      ))}
      {items.length > max ? <li className={s.muted}>…and {items.length - max} more (see the Sync status column)</li> : null}
    </ul>
  );
}
