/**
 * A small flowing-layout helper over pdf-lib for the evidence report: A4 pages, a cursor that moves
 * down, wrapped text in the standard fonts (real, selectable text), tables whose rows may carry a
 * QR code and repeat their header on a new page, and on every page the header (for emulated
 * evidence the red REHEARSAL banner and a diagonal watermark) and a numbered footer. The standard
 * fonts encode WinAnsi (Windows-1252) only: any other character becomes `?`, so names in other
 * scripts never abort the report.
 */
import { degrees, rgb } from 'pdf-lib';
import type { PDFDocument, PDFFont, PDFPage, RGB } from 'pdf-lib';
import { drawQr, qrWidth } from './qr.js';

const EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

/** `text` with every character the standard fonts cannot encode replaced by `?`, and controls by spaces. */
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || EXTRA.includes(ch)) out += ch;
    else if (c < 0x20 || c === 0x7f) out += ' ';
    else out += '?';
  }
  return out;
}

/** The fonts the report uses. */
export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  mono: PDFFont;
}

/** A table cell: text (monospaced for hex), optionally with the QR code of `qr` beside it. */
export type Cell = string | { text: string; mono?: boolean; qr?: string };

/** A table column. */
export interface Column {
  title: string;
  width: number;
}

const PAGE: [number, number] = [595.28, 841.89];
const MARGIN = 42;
const BANNER = 30;
const RED = rgb(0.69, 0, 0.13);
const GREY = rgb(0.35, 0.35, 0.35);

/** Lays out the report page by page. */
export class ReportCanvas {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  private y = 0;
  readonly width = PAGE[0] - 2 * MARGIN;

  constructor(
    private readonly doc: PDFDocument,
    readonly fonts: Fonts,
    private readonly o: { rehearsal: boolean; banner: string; header: string },
  ) {
    this.newPage();
  }

  private get top(): number {
    return PAGE[1] - MARGIN - (this.o.rehearsal ? BANNER : 12);
  }

  /** Starts a page: watermark and banner first, so content is drawn over the watermark. */
  newPage(): void {
    this.page = this.doc.addPage(PAGE);
    this.pages.push(this.page);
    const [w, h] = PAGE;
    if (this.o.rehearsal) {
      this.page.drawText('REHEARSAL', {
        x: 120,
        y: 230,
        size: 96,
        font: this.fonts.bold,
        color: RED,
        opacity: 0.08,
        rotate: degrees(45),
      });
      this.page.drawRectangle({ x: 0, y: h - BANNER - 12, width: w, height: BANNER, color: RED });
      const size = 15;
      const tw = this.fonts.bold.widthOfTextAtSize(this.o.banner, size);
      this.page.drawText(this.o.banner, {
        x: (w - tw) / 2,
        y: h - BANNER - 12 + 9,
        size,
        font: this.fonts.bold,
        color: rgb(1, 1, 1),
      });
    } else {
      this.page.drawText(winAnsi(this.o.header), {
        x: MARGIN,
        y: h - MARGIN + 4,
        size: 8,
        font: this.fonts.regular,
        color: GREY,
      });
    }
    this.y = this.top - 8;
  }

  /** Moves to a new page unless `height` points fit above the bottom margin. */
  ensure(height: number): void {
    if (this.y - height < MARGIN + 20) this.newPage();
  }

  /** Lines of `text` wrapped to `width` (words first, then characters for long tokens such as hex). */
  wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const para of winAnsi(text).split('\n')) {
      let line = '';
      for (const word of para.split(' ')) {
        const tryLine = line === '' ? word : `${line} ${word}`;
        if (font.widthOfTextAtSize(tryLine, size) <= width) {
          line = tryLine;
          continue;
        }
        if (line !== '') lines.push(line);
        let rest = word;
        while (font.widthOfTextAtSize(rest, size) > width) {
          let n = rest.length;
          while (n > 1 && font.widthOfTextAtSize(rest.slice(0, n), size) > width) n--;
          lines.push(rest.slice(0, n));
          rest = rest.slice(n);
        }
        line = rest;
      }
      lines.push(line);
    }
    return lines;
  }

  /** A block of wrapped text. */
  text(
    text: string,
    o: { size?: number; font?: PDFFont; color?: RGB; indent?: number; gap?: number } = {},
  ): void {
    const size = o.size ?? 9.5;
    const font = o.font ?? this.fonts.regular;
    const indent = o.indent ?? 0;
    for (const line of this.wrap(text, font, size, this.width - indent)) {
      this.ensure(size * 1.35);
      this.y -= size * 1.35;
      this.page.drawText(line, { x: MARGIN + indent, y: this.y, size, font, color: o.color ?? rgb(0, 0, 0) });
    }
    this.y -= o.gap ?? 4;
  }

  /** A section heading (kept with at least 60 points of what follows). */
  heading(text: string, size = 13): void {
    this.ensure(size * 2 + 60);
    this.y -= size * 0.8;
    this.text(text, { size, font: this.fonts.bold, gap: 6 });
  }

  /** Vertical space. */
  space(points: number): void {
    this.y -= points;
  }

  /** A table; a row with a QR cell is as tall as the code. */
  table(
    columns: readonly Column[],
    rows: readonly Cell[][],
    o: { size?: number; qrModule?: number } = {},
  ): void {
    const size = o.size ?? 7.5;
    const pad = 3;
    const qrModule = o.qrModule ?? 1.2;
    const header = () => {
      this.ensure(size * 2 + 40);
      let x = MARGIN;
      this.y -= size * 1.6;
      for (const c of columns) {
        this.page.drawText(winAnsi(c.title), { x: x + pad, y: this.y, size, font: this.fonts.bold });
        x += c.width;
      }
      this.y -= 3;
      this.page.drawLine({
        start: { x: MARGIN, y: this.y },
        end: { x: MARGIN + this.width, y: this.y },
        thickness: 0.6,
        color: GREY,
      });
    };
    header();
    for (const row of rows) {
      const laid = row.map((cell, i) => {
        const c = typeof cell === 'string' ? { text: cell } : cell;
        const font = c.mono === true ? this.fonts.mono : this.fonts.regular;
        const qr = c.qr === undefined ? 0 : qrWidth(c.qr, qrModule);
        const lines = this.wrap(c.text, font, size, columns[i]!.width - 2 * pad - (qr > 0 ? qr + pad : 0));
        return { c, font, qr, lines, height: Math.max(lines.length * size * 1.3, qr) };
      });
      const height = Math.max(...laid.map((l) => l.height)) + 2 * pad;
      if (this.y - height < MARGIN + 20) {
        this.newPage();
        header();
      }
      let x = MARGIN;
      laid.forEach((l, i) => {
        if (l.qr > 0) drawQr(this.page, l.c.qr!, x + pad, this.y - pad - l.qr, qrModule);
        const tx = x + pad + (l.qr > 0 ? l.qr + pad : 0);
        l.lines.forEach((line, j) =>
          this.page.drawText(line, { x: tx, y: this.y - pad - (j + 1) * size * 1.3 + 2, size, font: l.font }),
        );
        x += columns[i]!.width;
      });
      this.y -= height;
      this.page.drawLine({
        start: { x: MARGIN, y: this.y },
        end: { x: MARGIN + this.width, y: this.y },
        thickness: 0.3,
        color: rgb(0.8, 0.8, 0.8),
      });
    }
    this.y -= 8;
  }

  /** Draws every page's footer, `footer · page i of n`; call once, last. */
  finish(footer: string): void {
    const n = this.pages.length;
    this.pages.forEach((p, i) => {
      const text = winAnsi(`${footer} · page ${i + 1} of ${n}`);
      p.drawText(text, { x: MARGIN, y: MARGIN - 16, size: 7.5, font: this.fonts.regular, color: GREY });
      if (this.o.rehearsal)
        p.drawText(winAnsi(this.o.banner), {
          x: PAGE[0] - MARGIN - this.fonts.bold.widthOfTextAtSize(this.o.banner, 7.5),
          y: MARGIN - 16,
          size: 7.5,
          font: this.fonts.bold,
          color: RED,
        });
    });
  }
}
