/**
 * Vitest globalSetup: build the Excel task pane once before the tests when dist/public/addin is missing or older
 * than its sources (scripts/build-addin.ts), so `npm test` works on a fresh clone. A failed build does not stop
 * the other suites: tests that need the pane call requireAddinBuild() (test/support/addin.ts) and fail with
 * vite's error.
 */
import type { TestProject } from 'vitest/node';
import { ensureAddinBuilt } from '../../scripts/build-addin.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** vite's error output when the task pane failed to build, or '' */
    addinBuildError: string;
  }
}

export default function setup(project: TestProject): void {
  let error = '';
  try {
    ensureAddinBuilt((line) => console.log(line));
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    console.error(error);
  }
  project.provide('addinBuildError', error);
}
