// `npm run playground`: builds site/ and serves it with the cross-origin-isolation headers
// (COOP/COEP, so SharedArrayBuffer and threaded backends work), then prints the URL.
// Options: --port=N (default 8080; 0 picks a free port), --no-build (serve site/ as it is).
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite } from './build_site.mjs';

const arg = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json', '.bin': 'application/octet-stream', '.png': 'image/png' };

/** Serves `dir` on `port` (127.0.0.1) with COOP/COEP headers; resolves to the server. */
export function serve(dir, port) {
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cache-control': 'no-cache',
    });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv.includes('--no-build') ? join(process.cwd(), 'site') : await buildSite();
  const server = await serve(dir, Number(arg('port', 8080)));
  const { port } = server.address();
  console.log(`shadergrad playground: http://127.0.0.1:${port}/   (embedding example: http://127.0.0.1:${port}/embed/)`);
}
