/** Incoterms 2020 rules. FAS, FOB, CFR and CIF are for sea and inland waterway transport only. */
export const INCOTERMS = ['EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF'] as const;
export type Incoterm = (typeof INCOTERMS)[number];

export const TRANSPORT_MODES = ['sea', 'air', 'road', 'rail', 'inland_waterway', 'multimodal'] as const;
export type TransportMode = (typeof TRANSPORT_MODES)[number];

/** Rules that ICC restricts to sea and inland waterway transport. */
export const MARITIME_ONLY: ReadonlySet<Incoterm> = new Set(['FAS', 'FOB', 'CFR', 'CIF']);

/** Null when `incoterm` suits `mode`, else the reason it does not. */
export function incotermModeProblem(incoterm: Incoterm, mode: TransportMode): string | null {
  if (MARITIME_ONLY.has(incoterm) && mode !== 'sea' && mode !== 'inland_waterway') {
    return `${incoterm} is for sea and inland waterway transport only (Incoterms 2020); use ${incoterm === 'FOB' || incoterm === 'FAS' ? 'FCA' : incoterm === 'CFR' ? 'CPT' : 'CIP'} for ${mode}`;
  }
  return null;
}
