/** For tests that need the built task pane (test/support/global-setup.ts builds it before the run). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { ADDIN_OUT, PUBLIC_DIR } from '../../scripts/build-addin.js';

export { ADDIN_OUT, PUBLIC_DIR };

/** Throws vite's error if the pane did not build; returns dist/public/addin. */
export function requireAddinBuild(): string {
  const error = inject('addinBuildError');
  if (error) throw new Error(`The task pane did not build, so this test cannot run:\n${error}`);
  if (!existsSync(join(ADDIN_OUT, 'taskpane.html'))) throw new Error('dist/public/addin/taskpane.html is missing (is test/support/global-setup.ts in vitest.config.ts?)');
  return ADDIN_OUT;
}
