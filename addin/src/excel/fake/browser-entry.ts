/**
 * Entry point of the browser build: bundle as an IIFE (e.g. `esbuild addin/src/excel/fake/browser-entry.ts
 * --bundle --format=iife`) and serve it in place of office.js; it installs `Excel`, `Office`,
 * `OfficeExtension` and `__fakeExcel` on window before the add-in's scripts run.
 */
import { installFakeExcel } from './index';

installFakeExcel(window);
