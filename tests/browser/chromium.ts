/**
 * Headless Chromium for browser suites: bundles a page entry with esbuild,
 * serves it from 127.0.0.1 (a secure context, so WebGPU and IndexedDB work),
 * and launches Debian's Chromium with SwiftShader's software WebGPU.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import type { Browser, Page } from 'puppeteer-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

if (!hasChromium) {
  // CI sets SG_REQUIRE_WEBGPU: there the browser suites must run, never skip silently.
  if (process.env.SG_REQUIRE_WEBGPU) {
    throw new Error(`SG_REQUIRE_WEBGPU is set but Chromium was not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  }
  console.warn(`note: headless Chromium not found at ${CHROMIUM}: the browser suites are skipped (apt-get install -y chromium, or set CHROMIUM_PATH)`);
}

/** Chromium flags: SwiftShader WebGPU, no sandbox, no background traffic. */
export const FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-vulkan-surface',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface Session {
  page: Page;
  browser: Browser;
  /** Console lines the page printed (errors included). */
  log: string[];
  close(): Promise<void>;
}

/**
 * Bundles `entry` (a TS module that sets globals on window) and opens it in a fresh page;
 * `isolated` serves it with COOP/COEP headers (cross-origin isolation: SharedArrayBuffer).
 */
export async function openPage(entry: string, options: { isolated?: boolean } = {}): Promise<Session> {
  const out = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, external: ['webgpu', 'node:*'], logLevel: 'warning', define: { 'process.env.NODE_ENV': '"production"' } });
  const js = out.outputFiles[0].text;
  const server = http.createServer((req, res) => {
    if (options.isolated) {
      res.setHeader('cross-origin-opener-policy', 'same-origin');
      res.setHeader('cross-origin-embedder-policy', 'require-corp');
    }
    if (req.url === '/bundle.js') {
      res.setHeader('content-type', 'text/javascript');
      res.end(js);
    } else {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><meta charset="utf-8"><title>shadergrad</title><script type="module" src="/bundle.js"></script>');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, protocolTimeout: 600_000 });
  const page = await browser.newPage();
  const log: string[] = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${(e as Error).message}`));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForFunction('window.__ready === true || window.__loadError', { timeout: 60_000 });
  const err = await page.evaluate('window.__loadError');
  if (err) throw new Error(`page failed to load: ${err}\n${log.join('\n')}`);
  return {
    page,
    browser,
    log,
    async close() {
      await browser.close();
      server.close();
    },
  };
}
