/** Limits shared by the API and the add-in (kept free of zod so the task pane bundle stays small). */

/** Most items one POST /orders/batch-update may carry (the add-in sends larger publishes in several batches). */
export const MAX_BATCH_ITEMS = 100;

/** Largest request body the API accepts (except POST /imports, which has its own limit). */
export const MAX_BODY_BYTES = 1024 * 1024;
