'use strict';
// A horizontal bar chart of requests/s per app and case, drawn as SVG and
// rendered to PNG by the machine's Chromium through playwright-core (no
// browser download). Without Chromium the SVG is still written.

const fs = require('node:fs');
const path = require('node:path');
const { mainRows, ourPublicRps, OUR_API } = require('./report');

const COLORS = {
  [OUR_API]: '#2563eb',
  'our module, minimal app, Express': '#60a5fa',
  'our module, minimal app, Fastify': '#1e3a8a',
  'common recipe': '#f59e0b',
  'common recipe, Fastify': '#b45309',
  'nest-keycloak-connect, offline': '#10b981',
  'nest-keycloak-connect, online': '#ef4444',
};
const CHROMIUM = process.env.BENCH_CHROMIUM || '/usr/bin/chromium';

const escapeXml = (s) => String(s).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);

function chartSvg(results) {
  const rows = mainRows(results).filter((row) => !row.error);
  const base = ourPublicRps(results);
  const labelWidth = 480;
  const panelWidth = 430;
  const gap = 70;
  const width = labelWidth + 2 * panelWidth + gap + 20;
  const rowHeight = 30;
  const top = 96;
  const height = top + rows.length * rowHeight + 50;
  const m = results.meta;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="20" y="30" font-size="20" font-weight="bold">nest-keycloak-auth vs the common recipe and nest-keycloak-connect</text>`,
    `<text x="20" y="52" font-size="13" fill="#555">${escapeXml(
      `${m.cores} cores, Node ${m.node}, autocannon ${m.connections} connections, ${m.durationSec} s per case, ${m.date}`,
    )}</text>`,
  ];
  const panel = (x0, title, value, text, marker) => {
    const max = Math.max(...rows.map(value).filter(Number.isFinite), 1);
    const scale = (v) => ((Number.isFinite(v) ? v : 0) / max) * (panelWidth - 110);
    parts.push(`<text x="${x0}" y="${top - 16}" font-size="14" font-weight="bold">${escapeXml(title)}</text>`);
    if (marker !== undefined) {
      const mx = x0 + scale(marker);
      parts.push(
        `<line x1="${mx}" y1="${top - 6}" x2="${mx}" y2="${top + rows.length * rowHeight}" stroke="#2563eb" stroke-dasharray="4 4"/>`,
        `<text x="${mx + 4}" y="${top + rows.length * rowHeight + 18}" font-size="12" fill="#2563eb">our public route</text>`,
      );
    }
    rows.forEach((row, i) => {
      const y = top + i * rowHeight;
      const w = Math.max(1, scale(value(row)));
      parts.push(
        `<rect x="${x0}" y="${y + 5}" width="${w}" height="${rowHeight - 10}" fill="${COLORS[row.appName] || '#6b7280'}" rx="2"/>`,
        `<text x="${x0 + w + 6}" y="${y + 19}" font-size="12">${escapeXml(text(row))}</text>`,
      );
    });
  };
  rows.forEach((row, i) => {
    parts.push(`<text x="${labelWidth - 10}" y="${top + i * rowHeight + 19}" font-size="13" text-anchor="end">${escapeXml(`${row.appName}: ${row.label}`)}</text>`);
  });
  panel(
    labelWidth,
    'requests per second (higher is better)',
    (row) => row.rps,
    (row) => `${Math.round(row.rps).toLocaleString('en-US')}${base ? ` (${(row.rps / base).toFixed(2)}x)` : ''}`,
    base,
  );
  const publicCpu = (mainRows(results).find((r) => r.appName === OUR_API && r.id === 'public') || {}).cpuUsPerRequest;
  panel(
    labelWidth + panelWidth + gap,
    'server CPU per request, µs (lower is better)',
    (row) => row.cpuUsPerRequest,
    (row) => (Number.isFinite(row.cpuUsPerRequest) ? `${Math.round(row.cpuUsPerRequest)}` : '-'),
    publicCpu,
  );
  parts.push('</svg>');
  return parts.join('\n');
}

/** Writes `svgFile` and, when Chromium is there, `pngFile`; resolves to the PNG path or undefined. */
async function renderChart(results, svgFile, pngFile, log) {
  const svg = chartSvg(results);
  fs.mkdirSync(path.dirname(svgFile), { recursive: true });
  fs.writeFileSync(svgFile, svg);
  if (!fs.existsSync(CHROMIUM)) {
    log(`chart: ${CHROMIUM} not found (apt-get install chromium); wrote ${svgFile} only`);
    return undefined;
  }
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    const element = await page.$('svg');
    fs.mkdirSync(path.dirname(pngFile), { recursive: true });
    await element.screenshot({ path: pngFile });
  } finally {
    await browser.close();
  }
  return pngFile;
}

module.exports = { chartSvg, renderChart };
