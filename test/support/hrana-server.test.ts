import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from '@libsql/client/web';
import { startHranaServer, type HranaServer } from './hrana-server';

const TOKEN = 'test-token-123';

let dir: string;
let server: HranaServer;
let client: Client;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrana-server-test-'));
  server = await startHranaServer({ dbPath: path.join(dir, 'test.db'), authToken: TOKEN });
  client = createClient({ url: server.url, authToken: TOKEN });
});

afterAll(async () => {
  client?.close();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('hrana-server (Hrana v2 over HTTP, @libsql/client/web)', () => {
  it('answers the v2 endpoint and 404s v3', async () => {
    expect((await fetch(`${server.url}/v2`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${server.url}/v3`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    expect((await fetch(`${server.url}/v3-protobuf`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('round-trips every value type (bigint beyond 2^53, unicode text, float, null, blob)', async () => {
    const big = createClient({ url: server.url, authToken: TOKEN, intMode: 'bigint' });
    try {
      await big.execute('CREATE TABLE vals (id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)');
      const huge = 9007199254740993n; // 2^53 + 1, not representable as a JS number
      const text = 'héllo wörld — 日本語 🚀';
      const blob = new Uint8Array([0, 1, 2, 127, 128, 255]);
      const ins = await big.execute({
        sql: 'INSERT INTO vals (i, r, s, b, n) VALUES (?, ?, ?, ?, ?)',
        args: [huge, 1.5, text, blob, null],
      });
      expect(ins.rowsAffected).toBe(1);
      expect(ins.lastInsertRowid).toBe(1n);

      const rs = await big.execute('SELECT id, i, r, s, b, n, typeof(i) ti, typeof(r) tr, typeof(b) tb, typeof(n) tn FROM vals');
      expect(rs.columns).toEqual(['id', 'i', 'r', 's', 'b', 'n', 'ti', 'tr', 'tb', 'tn']);
      expect(rs.columnTypes.slice(0, 6)).toEqual(['INTEGER', 'INTEGER', 'REAL', 'TEXT', 'BLOB', 'TEXT']);
      expect(rs.rows).toHaveLength(1);
      const row = rs.rows[0]!;
      expect(row.i).toBe(huge);
      expect(row.r).toBe(1.5);
      expect(row.s).toBe(text);
      expect(new Uint8Array(row.b as ArrayBuffer)).toEqual(blob);
      expect(row.n).toBeNull();
      expect([row.ti, row.tr, row.tb, row.tn]).toEqual(['integer', 'real', 'blob', 'null']);

      // Extremes of the 64-bit range, negative numbers, named arguments (with and without prefix).
      const ext = await big.execute({
        sql: 'SELECT :min AS mn, @max AS mx, $neg AS ng, :f AS f',
        args: { min: -9223372036854775808n, ':max': 9223372036854775807n, neg: -42n, f: -0.25 },
      });
      expect(ext.rows[0]).toMatchObject({ mn: -9223372036854775808n, mx: 9223372036854775807n, ng: -42n, f: -0.25 });

      // Default intMode ('number'): small integers come back as numbers; JS numbers are sent as floats and
      // INTEGER affinity stores them as integers (same as sqld).
      await client.execute({ sql: 'INSERT INTO vals (i, s) VALUES (?, ?)', args: [7, 'seven'] });
      const seven = await client.execute({ sql: 'SELECT i, typeof(i) t FROM vals WHERE s = ?', args: ['seven'] });
      expect(seven.rows[0]).toMatchObject({ i: 7, t: 'integer' });
    } finally {
      big.close();
    }
  });

  it('maps SQLite errors to Hrana errors with the primary code', async () => {
    await expect(client.execute('SELECT * FROM no_such_table')).rejects.toMatchObject({
      code: 'SQLITE_ERROR',
      message: expect.stringContaining('no such table'),
    });
  });

  it('batch() is atomic: a UNIQUE violation in the 3rd statement leaves nothing written', async () => {
    await client.execute('CREATE TABLE uniq (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)');
    await expect(
      client.batch(
        [
          { sql: 'INSERT INTO uniq (name) VALUES (?)', args: ['a'] },
          { sql: 'INSERT INTO uniq (name) VALUES (?)', args: ['b'] },
          { sql: 'INSERT INTO uniq (name) VALUES (?)', args: ['a'] },
        ],
        'write',
      ),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    expect((await client.execute('SELECT count(*) AS c FROM uniq')).rows[0]!.c).toBe(0);

    const ok = await client.batch(
      [
        { sql: 'INSERT INTO uniq (name) VALUES (?)', args: ['a'] },
        { sql: 'INSERT INTO uniq (name) VALUES (?) RETURNING id, name', args: ['b'] },
        'SELECT name FROM uniq ORDER BY id',
      ],
      'write',
    );
    expect(ok).toHaveLength(3);
    expect(ok[0]!.rowsAffected).toBe(1);
    expect(ok[1]!.rowsAffected).toBe(1);
    expect(ok[1]!.rows[0]).toMatchObject({ id: 2, name: 'b' });
    expect(ok[2]!.rows.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('executeMultiple() runs a sequence', async () => {
    await client.executeMultiple(`
      CREATE TABLE seq (x INTEGER);
      INSERT INTO seq VALUES (1);
      INSERT INTO seq VALUES (2);
    `);
    expect((await client.execute('SELECT sum(x) AS s FROM seq')).rows[0]!.s).toBe(3);
  });

  it('interactive transaction: commit persists, other streams do not see uncommitted rows', async () => {
    await client.execute('CREATE TABLE tx (id INTEGER PRIMARY KEY, v TEXT)');
    const tx = await client.transaction('write');
    await tx.execute({ sql: 'INSERT INTO tx (v) VALUES (?)', args: ['committed'] });
    expect((await tx.execute('SELECT count(*) AS c FROM tx')).rows[0]!.c).toBe(1);
    // An autocommit read from another stream is not blocked by the open write transaction (WAL).
    expect((await client.execute('SELECT count(*) AS c FROM tx')).rows[0]!.c).toBe(0);
    await tx.commit();
    expect((await client.execute('SELECT v FROM tx')).rows.map((r) => r.v)).toEqual(['committed']);
  });

  it('interactive transaction: rollback discards', async () => {
    const tx = await client.transaction('write');
    await tx.execute({ sql: 'INSERT INTO tx (v) VALUES (?)', args: ['rolled back'] });
    await tx.batch([{ sql: 'UPDATE tx SET v = ?', args: ['clobbered'] }]);
    await tx.rollback();
    expect((await client.execute('SELECT v FROM tx')).rows.map((r) => r.v)).toEqual(['committed']);
  });

  it('serialises 20 concurrent read-then-increment transactions (no lost update, no deadlock)', async () => {
    await client.execute('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
    await client.execute('INSERT INTO counter (id, n) VALUES (1, 0)');
    // Separate clients, like separate Worker invocations.
    const clients = Array.from({ length: 20 }, () => createClient({ url: server.url, authToken: TOKEN }));
    try {
      await Promise.all(
        clients.map(async (c) => {
          const tx = await c.transaction('write');
          try {
            const rs = await tx.execute('SELECT n FROM counter WHERE id = 1');
            const n = Number(rs.rows[0]!.n);
            await new Promise((r) => setTimeout(r, 2)); // widen the race window
            await tx.execute({ sql: 'UPDATE counter SET n = ? WHERE id = 1', args: [n + 1] });
            await tx.commit();
          } finally {
            tx.close();
          }
        }),
      );
    } finally {
      for (const c of clients) c.close();
    }
    expect((await client.execute('SELECT n FROM counter WHERE id = 1')).rows[0]!.n).toBe(20);
  }, 30_000);

  it('rejects a wrong or missing token', async () => {
    const wrong = createClient({ url: server.url, authToken: 'nope' });
    const none = createClient({ url: server.url });
    try {
      await expect(wrong.execute('SELECT 1')).rejects.toMatchObject({
        code: 'SERVER_ERROR',
        message: expect.stringContaining('401'),
      });
      await expect(none.execute('SELECT 1')).rejects.toMatchObject({ code: 'SERVER_ERROR' });
    } finally {
      wrong.close();
      none.close();
    }
  });

  it('counts handled pipeline requests', async () => {
    const before = server.requests;
    await client.execute('SELECT 1');
    expect(server.requests).toBe(before + 1);
  });
});

describe('hrana-server idle streams', () => {
  it('rolls back an idle transaction and releases the write lock', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hrana-server-idle-'));
    const srv = await startHranaServer({ dbPath: path.join(d, 'idle.db'), idleTimeoutMs: 300 });
    const c = createClient({ url: srv.url });
    try {
      await c.execute('CREATE TABLE t (x INTEGER)');
      const abandoned = await c.transaction('write');
      await abandoned.execute('INSERT INTO t VALUES (1)');
      // This write queues behind the abandoned transaction until its stream expires.
      await c.execute('INSERT INTO t VALUES (2)');
      await expect(abandoned.commit()).rejects.toBeDefined();
      expect((await c.execute('SELECT x FROM t')).rows.map((r) => r.x)).toEqual([2]);
    } finally {
      c.close();
      await srv.close();
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
