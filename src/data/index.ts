/** `sg.data`: scalers, splitting, windows, one-hot labels and CSV helpers for the course workflows. */
export { minMaxScaler, standardScaler, MinMaxScaler, StandardScaler } from './scalers.js';
export { trainTestSplit, oneHot } from './split.js';
export type { SplitOptions } from './split.js';
export { timeseriesWindows } from './windows.js';
export { parseCsv, rowsToTensor } from './csv.js';
export type { Row, Cell } from './csv.js';
export type { Table } from './host.js';
