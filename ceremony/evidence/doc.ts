/**
 * A very small document model (headings, paragraphs, lists, tables, code blocks, a warning banner;
 * text spans plain, bold or code) rendered to Markdown and to an HTML fragment, so SUMMARY.md and
 * summary.html say the same thing. Every piece of text is escaped for its target.
 */

/** A run of text. */
export type Span = string | { code: string } | { bold: string };

/** A block of a document. */
export type Block =
  | { h: 2 | 3; text: string }
  | { p: Span[] }
  | { banner: string; detail: string }
  | { ul: Span[][] }
  | { table: { head: string[]; rows: Span[][] } }
  | { pre: string; lang?: string };

function mdText(s: string): string {
  return s.replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

function mdSpan(s: Span): string {
  if (typeof s === 'string') return mdText(s);
  if ('code' in s) return '`' + s.code.replaceAll('`', "'") + '`';
  return `**${mdText(s.bold)}**`;
}

/** The document as Markdown (CommonMark, GitHub tables), ending with one newline. */
export function toMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if ('h' in b) out.push(`${'#'.repeat(b.h)} ${mdText(b.text)}`);
    else if ('p' in b) out.push(b.p.map(mdSpan).join(''));
    else if ('banner' in b) out.push(`> **${mdText(b.banner)}** ${mdText(b.detail)}`);
    else if ('ul' in b) out.push(b.ul.map((item) => `- ${item.map(mdSpan).join('')}`).join('\n'));
    else if ('table' in b) {
      const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
      out.push(
        [
          row(b.table.head.map(mdText)),
          row(b.table.head.map(() => '---')),
          ...b.table.rows.map((r) => row(r.map(mdSpan))),
        ].join('\n'),
      );
    } else out.push('```' + (b.lang ?? '') + '\n' + b.pre + (b.pre.endsWith('\n') ? '' : '\n') + '```');
  }
  return out.join('\n\n') + '\n';
}

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function htmlSpan(s: Span): string {
  if (typeof s === 'string') return esc(s);
  if ('code' in s) return `<code>${esc(s.code)}</code>`;
  return `<strong>${esc(s.bold)}</strong>`;
}

/** The document as an HTML fragment (no `<html>` or `<body>`: paste it into a page), ending with one newline. */
export function toHtml(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if ('h' in b) out.push(`<h${b.h}>${esc(b.text)}</h${b.h}>`);
    else if ('p' in b) out.push(`<p>${b.p.map(htmlSpan).join('')}</p>`);
    else if ('banner' in b) {
      out.push(
        `<p class="fleet-rehearsal" style="border:3px solid #b00020;background:#fde7ea;color:#b00020;padding:0.6em;font-weight:bold">${esc(b.banner)} <span style="font-weight:normal">${esc(b.detail)}</span></p>`,
      );
    } else if ('ul' in b)
      out.push(`<ul>\n${b.ul.map((i) => `  <li>${i.map(htmlSpan).join('')}</li>`).join('\n')}\n</ul>`);
    else if ('table' in b) {
      const head = `  <tr>${b.table.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
      const rows = b.table.rows.map((r) => `  <tr>${r.map((c) => `<td>${htmlSpan(c)}</td>`).join('')}</tr>`);
      out.push(`<table>\n${[head, ...rows].join('\n')}\n</table>`);
    } else out.push(`<pre><code>${esc(b.pre)}</code></pre>`);
  }
  return out.join('\n') + '\n';
}
