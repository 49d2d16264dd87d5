import { evaluate, peggedConverter } from '../../../../shared/templates/engine.js';
import { loadTemplates } from '../../../../shared/templates/registry.js';
import { documentLayout } from '../../../../templates/documents/index.js';
import { renderDocument } from '../../documents/render/index.js';
import type { PackEngine } from './engine.js';

/** The production engine: country templates for findings and wording, layouts from templates/documents. */
export const packEngine: PackEngine = {
  evaluate(snapshot, now) {
    return evaluate(snapshot, loadTemplates(), { now, convert: peggedConverter });
  },
  render(request) {
    return renderDocument(request, documentLayout(request.kind));
  },
};
