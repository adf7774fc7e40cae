/** Picks the io handler for a URL (`file://`, `indexeddb://`, `localstorage://`, `downloads://`) or passes a handler through. */
import { DownloadsHandler, IndexedDbHandler, LocalStorageHandler } from './browser.js';
import { FileHandler } from './file.js';
import type { IOHandler } from './types.js';

/** The handler for `url`, or `url` itself when it already is one. */
export function getHandler(url: string | IOHandler, op: 'save' | 'loadLayersModel'): IOHandler {
  if (typeof url !== 'string') {
    if (!url || (op === 'save' ? typeof url.save : typeof url.load) !== 'function') {
      throw new Error(`${op}: expected a URL string or an io handler with a ${op === 'save' ? 'save' : 'load'}() method`);
    }
    return url;
  }
  const m = /^([a-z]+):\/\/(.*)$/.exec(url);
  // In Node a plain path means a file, as Keras's model.save('dir') (and ModelCheckpoint here).
  if (!m && url !== '' && typeof process !== 'undefined' && process.versions?.node) return new FileHandler(url);
  if (!m) throw new Error(`${op}: '${url}' has no scheme; use file://, indexeddb://, localstorage:// or downloads://`);
  const [, scheme, rest] = m;
  switch (scheme) {
    case 'file':
      return new FileHandler(rest);
    case 'indexeddb':
      return new IndexedDbHandler(rest);
    case 'localstorage':
      return new LocalStorageHandler(rest);
    case 'downloads':
      if (op !== 'save') throw new Error('loadLayersModel: downloads:// can only save');
      return new DownloadsHandler(rest);
    default:
      throw new Error(`${op}: unsupported scheme '${scheme}://' in '${url}'; use file://, indexeddb://, localstorage:// or downloads://`);
  }
}
