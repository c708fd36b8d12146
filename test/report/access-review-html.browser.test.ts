import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';

// The HTML review in a real browser (Debian's chromium, driven by playwright-core): it must
// load with no console error, show the right cells for examples/acme, and filter.
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium for this test`);

const config = path.join(repoRoot, 'examples', 'acme');
const screenshots = path.join(repoRoot, 'test-output');
let tmp: ReturnType<typeof tempDir>;
let browser: Browser | undefined;
let html: string;
let csvRows: string[][];

beforeAll(async () => {
  tmp = tempDir();
  html = path.join(tmp.dir, 'review.html');
  const store = `sqlite:${tmp.dir}/live.db`;
  expect(gatehouse(['report', 'access', '--config', config, '--store', store, '--format', 'html', '--out', html]).code).toBe(0);
  const csv = gatehouse(['report', 'access', '--config', config, '--store', store, '--format', 'csv']);
  expect(csv.code).toBe(0);
  csvRows = csv.stdout.trim().split('\r\n').slice(1).map((l) => l.split(','));
  if (haveChromium) {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }
});
afterAll(async () => {
  await browser?.close();
  tmp.cleanup();
});

async function openReport() {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) errors.push(`remote request: ${r.url()}`);
  });
  await page.goto(`file://${html}`);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, errors };
}

describe.runIf(haveChromium)('access review HTML in Chromium', () => {
  it('is one self-contained file', () => {
    const text = readFileSync(html, 'utf8');
    expect(text).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(http/i);
    expect(statSync(html).size).toBeLessThan(200_000);
  });

  it('loads without console errors and shows one cell per user and account, coloured by privilege', async () => {
    const { page, errors } = await openReport();
    const pairs = new Set(csvRows.map((r) => `${r[1]}|${r[3]}`));
    expect(await page.locator('td.c').count()).toBe(pairs.size);
    // alice reaches prod-core with AdministratorAccess through platform-admins (assignments.yaml).
    const cell = page.locator('td.c[data-principal="alice@acme.example"][data-account="444444444444"]');
    expect(await cell.getAttribute('data-level')).toBe('admin');
    expect(await cell.getAttribute('data-permission-sets')).toContain('AdministratorAccess');
    // A user with no grant in an account has no cell there.
    const absent = csvRows.filter((r) => r[1] === 'heidi@acme.example').map((r) => r[3]);
    expect(await page.locator('td.c[data-principal="heidi@acme.example"]').count()).toBe(new Set(absent).size);
    await cell.click();
    const details = await page.locator('#details').innerText();
    expect(details).toContain('AdministratorAccess — admin');
    expect(details).toMatch(/through group platform-admins at .*assignments\.yaml:\d+/);
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, 'access-review-acme.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters change what is shown: privilege, OU and the group view', async () => {
    const { page, errors } = await openReport();
    const all = await page.locator('td.c').count();
    await page.selectOption('#f-level', { label: 'admin' });
    const admin = await page.locator('td.c').count();
    expect(admin).toBeGreaterThan(0);
    expect(admin).toBeLessThan(all);
    expect(await page.locator('td.c:not([data-level="admin"])').count()).toBe(0);

    await page.selectOption('#f-level', '');
    await page.selectOption('#f-ou', '/Root/Workloads/Prod');
    const accounts = await page.locator('thead th[data-account]').evaluateAll((ths) => ths.map((t) => t.getAttribute('data-account')));
    const prod = new Set(csvRows.filter((r) => r[5] === '/Root/Workloads/Prod').map((r) => r[3]));
    expect(new Set(accounts)).toEqual(prod);

    await page.selectOption('#f-ou', '');
    await page.selectOption('#f-view', 'groups');
    const groups = await page.locator('tbody th').allInnerTexts();
    expect(groups).toContain('platform-admins');
    expect(groups).not.toContain('alice@acme.example');
    expect(errors).toEqual([]);
    await page.close();
  });
});
