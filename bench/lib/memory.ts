/**
 * Memory high-water marks of a section of work.
 *
 * - RSS: a worker thread reads the process's resident set size every millisecond. It runs beside the main
 *   thread, so it also sees the peaks inside long synchronous stretches (a renderer building a document), which
 *   a timer on the main thread would miss.
 * - V8 heap of the main thread (used, and committed = heapTotal): read on the main thread every millisecond
 *   while the event loop is free (the renderers await between their phases) and whenever `sample()` is called —
 *   the bench calls it after every file. A high-water mark of what the heap grew to, garbage included.
 */
import { Worker } from 'node:worker_threads';

const SAMPLER = `
const { parentPort } = require('node:worker_threads');
let peak = 0;
const tick = () => { const r = process.memoryUsage.rss(); if (r > peak) peak = r; };
const timer = setInterval(tick, 1);
parentPort.on('message', (m) => {
  if (m === 'reset') { peak = 0; tick(); }
  if (m === 'read') { tick(); parentPort.postMessage(peak); }
  if (m === 'stop') { clearInterval(timer); parentPort.close(); }
});
`;

export interface MemoryPeaks {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** Main-thread heap samples taken. */
  samples: number;
}

export interface MemorySampler {
  /** Take a main-thread heap sample now. */
  sample(): void;
  /** Forget the peaks so far (call after the baseline is taken). */
  reset(): Promise<void>;
  /** Peaks since the last reset. */
  read(): Promise<MemoryPeaks>;
  stop(): Promise<void>;
}

export async function memorySampler(): Promise<MemorySampler> {
  // referenced (not unref'd) until stop(): an await on its answer must keep the process alive
  const worker = new Worker(SAMPLER, { eval: true });
  await new Promise<void>((resolve, reject) => {
    worker.once('online', resolve);
    worker.once('error', reject);
  });
  let heapUsed = 0;
  let heapTotal = 0;
  let samples = 0;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.heapUsed > heapUsed) heapUsed = m.heapUsed;
    if (m.heapTotal > heapTotal) heapTotal = m.heapTotal;
    samples++;
  };
  const timer = setInterval(sample, 1);
  timer.unref();
  const ask = () =>
    new Promise<number>((resolve) => {
      worker.once('message', (peak: number) => resolve(peak));
      worker.postMessage('read');
    });
  return {
    sample,
    async reset() {
      heapUsed = 0;
      heapTotal = 0;
      samples = 0;
      worker.postMessage('reset');
      await ask();
      sample();
    },
    async read() {
      sample();
      return { rssBytes: await ask(), heapUsedBytes: heapUsed, heapTotalBytes: heapTotal, samples };
    },
    async stop() {
      clearInterval(timer);
      worker.postMessage('stop');
      await worker.terminate();
    },
  };
}
