/** A small CSV reader and a rows → tensor helper for tabular examples. */
import type { Tensor } from '../tensor/index.js';
import * as ops from '../tensor/index.js';

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

/** Splits one CSV line, honouring double quotes ("a,b" and "" escapes). */
function splitLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * Parses CSV text with a header row into objects; numeric-looking cells become
 * numbers and empty cells null. Rows with the wrong number of cells are an error.
 */
export function parseCsv(text: string, options: { delimiter?: string } = {}): Row[] {
  const d = options.delimiter ?? ',';
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error('parseCsv: no header row');
  const header = splitLine(lines[0], d).map((h) => h.trim());
  return lines.slice(1).map((line, i) => {
    const cells = splitLine(line, d);
    if (cells.length !== header.length) throw new Error(`parseCsv: line ${i + 2} has ${cells.length} cells, the header has ${header.length}`);
    const row: Row = {};
    header.forEach((h, j) => {
      const c = cells[j].trim();
      row[h] = c === '' ? null : /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(c) ? Number(c) : c;
    });
    return row;
  });
}

/**
 * A float32 tensor `[rows, columns.length]` from object rows (CSV or JSON
 * records). A missing, null or non-numeric cell is an error naming its row
 * and column; use `dropMissing` to skip such rows instead (as dropna does).
 */
export function rowsToTensor(rows: readonly Row[], columns: readonly string[], options: { dropMissing?: boolean } = {}): Tensor {
  const kept: number[][] = [];
  rows.forEach((r, i) => {
    const vals = columns.map((c) => r[c]);
    const bad = vals.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad >= 0) {
      if (options.dropMissing) return;
      throw new Error(`rowsToTensor: row ${i}, column '${columns[bad]}' is ${JSON.stringify(vals[bad] ?? null)}, not a number`);
    }
    kept.push(vals as number[]);
  });
  if (kept.length === 0) throw new Error('rowsToTensor: no complete rows');
  return ops.tensor(kept, [kept.length, columns.length]);
}
