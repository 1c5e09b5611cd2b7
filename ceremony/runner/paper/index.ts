/** The paper script (`script print`): model, text and PDF renderings. Re-exports only. */
export { paperScript } from './model.js';
export type { PaperScript } from './model.js';
export { paperText } from './text.js';
export { paperPdf } from './pdf.js';
