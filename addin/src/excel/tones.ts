import type { Tone } from '../sheet/results.js';
import type { WriteQueue } from './batching.js';

/** Office-like status colours (fill, font) for result cells. */
export const TONE_COLORS: Record<Tone, { fill: string | null; font: string }> = {
  saved: { fill: '#DFF6DD', font: '#107C10' },
  rejected: { fill: '#FDE7E9', font: '#A4262C' },
  conflict: { fill: '#FFF4CE', font: '#8A5A00' },
  neutral: { fill: null, font: '#323130' },
};

/** Group consecutive indexes with the same key: [[start, count, key]…]. */
export function runs<K>(items: { index: number; key: K }[]): { start: number; count: number; key: K }[] {
  const sorted = [...items].sort((a, b) => a.index - b.index);
  const out: { start: number; count: number; key: K }[] = [];
  for (const it of sorted) {
    const last = out[out.length - 1];
    if (last && last.key === it.key && last.start + last.count === it.index) last.count++;
    else out.push({ start: it.index, count: 1, key: it.key });
  }
  return out;
}

/** Colour a column's cells by tone: one format operation per run of rows (sheet row `top + row`) with the same tone. */
export async function paintTones(queue: WriteQueue, sheet: Excel.Worksheet, top: number, column: number, items: { row: number; tone: Tone }[]): Promise<void> {
  for (const run of runs(items.map((it) => ({ index: it.row, key: it.tone })))) {
    await queue.add(96, () => {
      const range = sheet.getRangeByIndexes(top + run.start, column, run.count, 1);
      const colors = TONE_COLORS[run.key];
      if (colors.fill) range.format.fill.color = colors.fill;
      else range.format.fill.clear();
      range.format.font.color = colors.font;
    });
  }
}
