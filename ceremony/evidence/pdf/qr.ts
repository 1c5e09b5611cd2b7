/**
 * QR codes drawn as vector rectangles into a PDF page (no images, so they stay sharp at any zoom
 * and the bytes are deterministic). The symbol encodes exactly the given text (a lowercase hex
 * digest: byte mode), error correction level M, with the 4-module quiet zone the QR standard
 * (ISO/IEC 18004 §6.3.8) requires.
 */
import { fill, popGraphicsState, pushGraphicsState, rectangle, setFillingRgbColor } from 'pdf-lib';
import type { PDFOperator, PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';

/** Quiet zone around the symbol, in modules. */
export const QUIET_ZONE = 4;

/** The module matrix of `text`: `size` × `size`, true for dark modules. */
export function qrModules(text: string): { size: number; dark: (row: number, col: number) => boolean } {
  const q = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: q.modules.size, dark: (r, c) => q.modules.get(r, c) === 1 };
}

/** The width of the symbol of `text`, quiet zone included, at `moduleSize` points per module. */
export function qrWidth(text: string, moduleSize: number): number {
  return (qrModules(text).size + 2 * QUIET_ZONE) * moduleSize;
}

/**
 * Draws the QR code of `text` with its lower-left corner (quiet zone included) at (`x`, `y`).
 *
 * @returns the width (= height) drawn, in points.
 */
export function drawQr(page: PDFPage, text: string, x: number, y: number, moduleSize: number): number {
  const { size, dark } = qrModules(text);
  const total = (size + 2 * QUIET_ZONE) * moduleSize;
  const ops: PDFOperator[] = [
    pushGraphicsState(),
    setFillingRgbColor(1, 1, 1),
    rectangle(x, y, total, total),
    fill(),
    setFillingRgbColor(0, 0, 0),
  ];
  for (let r = 0; r < size; r++) {
    const top = y + total - (QUIET_ZONE + r + 1) * moduleSize;
    let c = 0;
    while (c < size) {
      if (!dark(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < size && dark(r, c)) c++;
      ops.push(rectangle(x + (QUIET_ZONE + start) * moduleSize, top, (c - start) * moduleSize, moduleSize));
    }
  }
  ops.push(fill(), popGraphicsState());
  page.pushOperators(...ops);
  return total;
}
