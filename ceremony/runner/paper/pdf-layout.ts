/**
 * A small flowing layout over pdf-lib: text that wraps, table rows, rules and blanks to write on,
 * with page breaks. Standard fonts only (no font files); text outside their WinAnsi character set
 * is replaced with `?` rather than failing.
 */
import type * as PdfLibModule from 'pdf-lib';
import type { PDFDocument, PDFFont, PDFPage, RGB } from 'pdf-lib';

/** The pdf-lib module, loaded when a PDF is made (it is large, and most commands never need it). */
export type PdfLib = typeof PdfLibModule;

/** Page margins, in points. */
export const MARGIN = 48;

/** Printable Latin-1: what the standard fonts can show. */
export function winAnsi(text: string): string {
  return text.normalize('NFC').replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
}

/** One column of a table row: text from `x` (relative to the margin), at most `width` wide. */
export interface Cell {
  text: string;
  x: number;
  width: number;
  bold?: boolean;
  mono?: boolean;
  /** Draw a line to write on instead of (after) the text. */
  blank?: boolean;
}

/** A cursor that fills pages top to bottom. */
export class Layout {
  page!: PDFPage;
  y = 0;
  readonly pages: PDFPage[] = [];

  private constructor(
    private readonly lib: PdfLib,
    private readonly grey: RGB,
    readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
    readonly mono: PDFFont,
  ) {
    this.newPage();
  }

  /** A layout on a new A4 page of `doc`. */
  static async create(lib: PdfLib, doc: PDFDocument): Promise<Layout> {
    const [r, b, m] = await Promise.all([
      doc.embedFont(lib.StandardFonts.Helvetica),
      doc.embedFont(lib.StandardFonts.HelveticaBold),
      doc.embedFont(lib.StandardFonts.Courier),
    ]);
    return new Layout(lib, lib.rgb(0.45, 0.45, 0.45), doc, r, b, m);
  }

  /** Width available for text. */
  get width(): number {
    return this.page.getWidth() - 2 * MARGIN;
  }

  newPage(): void {
    this.page = this.doc.addPage(this.lib.PageSizes.A4);
    this.pages.push(this.page);
    this.y = this.page.getHeight() - MARGIN;
  }

  /** Starts a new page unless `height` points fit. */
  need(height: number): void {
    if (this.y - height < MARGIN + 20) this.newPage();
  }

  /** `text` split into lines at most `width` wide in `font` at `size`. */
  wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const para of winAnsi(text).split('\n')) {
      let line = '';
      for (const word of para.split(/\s+/).filter((w) => w !== '')) {
        const next = line === '' ? word : `${line} ${word}`;
        if (font.widthOfTextAtSize(next, size) <= width || line === '') line = next;
        else {
          lines.push(line);
          line = word;
        }
      }
      lines.push(line);
    }
    return lines;
  }

  /** A wrapped paragraph. */
  text(
    text: string,
    o: { size?: number; bold?: boolean; mono?: boolean; indent?: number; grey?: boolean; gap?: number } = {},
  ): void {
    const size = o.size ?? 10;
    const font = o.bold === true ? this.bold : o.mono === true ? this.mono : this.regular;
    const indent = o.indent ?? 0;
    for (const line of this.wrap(text, font, size, this.width - indent)) {
      this.need(size + 4);
      this.y -= size + 3;
      this.page.drawText(line, {
        x: MARGIN + indent,
        y: this.y,
        size,
        font,
        ...(o.grey === true ? { color: this.grey } : {}),
      });
    }
    this.y -= o.gap ?? 2;
  }

  /** One table row; cells wrap within their width; `blank` cells get a line to write on. */
  row(cells: readonly Cell[], size = 9, gap = 4): void {
    const wrapped = cells.map((c) => (c.text === '' ? [] : this.wrap(c.text, this.fontOf(c), size, c.width)));
    const lines = Math.max(1, ...wrapped.map((w) => w.length));
    const height = lines * (size + 3) + gap;
    this.need(height + 4);
    const top = this.y;
    cells.forEach((c, i) => {
      wrapped[i]!.forEach((line, j) =>
        this.page.drawText(line, {
          x: MARGIN + c.x,
          y: top - (j + 1) * (size + 3),
          size,
          font: this.fontOf(c),
        }),
      );
      if (c.blank === true) this.rule(MARGIN + c.x, MARGIN + c.x + c.width, top - lines * (size + 3) - 1);
    });
    this.y = top - height;
  }

  /** A thin horizontal line from x1 to x2 at y (a blank to write on). */
  rule(x1: number, x2: number, y: number): void {
    this.page.drawLine({ start: { x: x1, y }, end: { x: x2, y }, thickness: 0.5, color: this.grey });
  }

  /** A full-width separator. */
  separator(): void {
    this.need(8);
    this.y -= 4;
    this.rule(MARGIN, MARGIN + this.width, this.y);
    this.y -= 4;
  }

  /** Writes `text` in the footer of every page, with "page n of N". */
  footer(text: string): void {
    this.pages.forEach((p, i) => {
      const line = winAnsi(`${text}    page ${i + 1} of ${this.pages.length}`);
      p.drawText(line, { x: MARGIN, y: MARGIN - 20, size: 7, font: this.regular, color: this.grey });
    });
  }

  private fontOf(c: Cell): PDFFont {
    return c.bold === true ? this.bold : c.mono === true ? this.mono : this.regular;
  }
}
