/**
 * Scenario E — the Excel add-in's sync budget: "Pull orders" and "Publish changes" at 10, 5,000 and 20,000
 * rows, run by the add-in's own workflows against the fake Excel host (Office.js load/sync semantics, 5 MB
 * request limit) and the real API in-process over an embedded libSQL file. Counts context.sync() calls and the
 * largest request, and times each operation (fake host + API; real Excel adds its own per-sync latency).
 * Publish edits one row in five (every order), so it sends one batch per 100 orders.
 */
import { OrderCreate } from '../shared/contracts/orders.js';
import { createApi } from '../addin/src/api/client.js';
import { installFakeExcel } from '../addin/src/excel/fake/index.js';
import { runExcel } from '../addin/src/excel/run.js';
import { SHEET, col, columnLetter } from '../addin/src/sheet/columns.js';
import { pullOrders } from '../addin/src/workflows/pull.js';
import { publishChanges } from '../addin/src/workflows/publish.js';
import { createApp } from '../worker/src/app.js';
import { createOrders } from '../worker/src/services/orders/orders.js';
import { createApiKey } from '../worker/src/services/organisations.js';
import { createMasterData, orderInputs } from './lib/fixtures.js';
import { freshDatabase, log, round } from './lib/util.js';

export interface SyncFigures {
  rows: number;
  pull: { syncs: number; maxRequestBytes: number; ms: number };
  publish: { syncs: number; maxRequestBytes: number; ms: number; saved: number };
}

export interface ScenarioEResult {
  sizes: SyncFigures[];
  /** Most syncs seen for a pull or publish at 10 and 5,000 rows (the target's row counts). */
  worstAtTargetSizes: number;
}

export async function scenarioE(opts: { sizes?: number[] } = {}): Promise<ScenarioEResult> {
  const sizes = opts.sizes ?? [10, 5_000, 20_000];
  const out: SyncFigures[] = [];
  for (const rows of sizes) {
    const db = await freshDatabase(`addin-${rows}`);
    try {
      const master = await createMasterData(db.ctx);
      const orders = Math.max(1, Math.round(rows / 5));
      const inputs = orderInputs(master, orders, 5, { seed: 7 });
      for (let i = 0; i < inputs.length; i += 500) await createOrders(db.ctx, inputs.slice(i, i + 500).map((o) => OrderCreate.parse(o)));
      const key = (await createApiKey(db.ctx, { userId: db.ctx.actor.userId, name: 'bench' })).key;
      const app = createApp({ database: () => db.database, logError: () => undefined });
      const host = installFakeExcel(globalThis);
      const deps = { api: createApi({ baseUrl: 'https://bench.test', apiKey: key }, async (i, init) => app.fetch(new Request(i as string, init))), run: runExcel };

      // Pull twice: the second pull replaces an existing table (the steady state).
      await pullOrders(deps, {});
      host.resetCounters();
      let t = performance.now();
      const pulled = await pullOrders(deps, {}, { force: true });
      const pull = { syncs: host.syncCount, maxRequestBytes: Math.max(...host.requests.map((r) => r.bytes)), ms: round(performance.now() - t, 1) };
      if (pulled.status !== 'pulled' || pulled.rows !== orders * 5) throw new Error(`pull wrote ${JSON.stringify(pulled)}`);

      const body = host.workbook.getValues(SHEET.orders).slice(1);
      const q = col('quantity');
      body.forEach((r, i) => {
        if (i % 5 === 0) host.workbook.setValues(SHEET.orders, `${columnLetter(q)}${i + 2}`, [[Number(r[q]) + 1]]);
      });
      host.resetCounters();
      t = performance.now();
      const report = await publishChanges(deps);
      const publish = { syncs: host.syncCount, maxRequestBytes: Math.max(...host.requests.map((r) => r.bytes)), ms: round(performance.now() - t, 1), saved: report.saved };
      if (report.saved !== orders) throw new Error(`publish saved ${report.saved} of ${orders}`);
      out.push({ rows: orders * 5, pull, publish });
      log(`E: ${orders * 5} rows — pull ${pull.syncs} syncs (${pull.ms} ms), publish ${publish.syncs} syncs (${publish.ms} ms, ${publish.saved} orders)`);
    } finally {
      delete (globalThis as Record<string, unknown>).Excel;
      delete (globalThis as Record<string, unknown>).Office;
      db.close();
    }
  }
  const target = out.filter((s) => s.rows <= 5_000);
  return { sizes: out, worstAtTargetSizes: Math.max(...target.flatMap((s) => [s.pull.syncs, s.publish.syncs])) };
}
