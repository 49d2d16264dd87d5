import type { Api } from '../api/client.js';
import type { runExcel } from '../excel/run.js';

/** What workflows need: the API and the Excel entry point (a fake host's in tests). */
export interface Deps {
  api: Api;
  run: typeof runExcel;
}

/** A problem the user can fix, with a message fit to show as is. */
export class UserError extends Error {
  override name = 'UserError';
}
