// Run by scripts/lighthouse: node scripts/lighthouse.mjs BASE_URL LIGHTHOUSE_DIR.
// Signs in as the demo charity and the demo board member (the accounts the
// embedded default prints), then runs Lighthouse's default configuration
// (a phone, simulated slow 4G) on each page and prints its four scores.
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [base, lhDir] = process.argv.slice(2);
const { default: lighthouse } = await import(pathToFileURL(join(lhDir, 'core', 'index.js')));
const chromeLauncher = await import(pathToFileURL(join(lhDir, '..', 'chrome-launcher', 'dist', 'index.js')));

// totp is the code an authenticator app shows now for a base32 secret.
function totp(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, '0');
}

// signIn returns the Cookie header of a session of the demo account.
async function signIn(email, password, secret) {
  const jar = new Map();
  const keep = (res) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const get = async (path) => {
    const res = await fetch(base + path, { headers: { cookie: cookie() }, redirect: 'manual' });
    keep(res);
    return res;
  };
  const post = async (path, form) => {
    const page = await (await get(path)).text();
    const token = page.match(/name="csrf_token" value="([^"]+)"/)[1];
    const res = await fetch(base + path, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: cookie(), origin: base, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, csrf_token: token }),
    });
    keep(res);
    return res;
  };
  let res = await post('/login', { email, password });
  if (res.headers.get('location') === '/login/code') res = await post('/login/code', { code: totp(secret) });
  if (res.status !== 303) throw new Error(`signing in as ${email}: ${res.status}`);
  return { cookie: cookie(), get };
}

const charity = await signIn('applicant@demo.missiongrants.test', 'demo-applicant-passphrase');
const board = await signIn('board@demo.missiongrants.test', 'demo-board-passphrase', 'DEMOBOARDTOTPSECRETBBBBBBBBBBBBB');
const firstLink = async (who, path, re) => {
  const m = (await (await who.get(path)).text()).match(re);
  if (!m) throw new Error(`no link like ${re} on ${path}`);
  return m[1];
};
const draft = await firstLink(charity, '/dashboard', /href="(\/applications\/\d+\/edit)"/);
const boardApp = await firstLink(board, '/board/applications', /href="(\/applications\/\d+)"/);

const pages = [
  ['home', '/', null],
  ['sign-in', '/login', null],
  ['charity home', '/dashboard', charity],
  ['application form', draft, charity],
  ['board queue', '/board/applications', board],
  ['application (board)', boardApp, board],
];
const categories = ['performance', 'accessibility', 'best-practices', 'seo'];
// audit runs Lighthouse on path in a Chromium of its own: its cookie jar is
// empty, so the session is the one in the Cookie header, whatever pages
// before it set.
async function audit(path, who) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: categories };
    if (who) flags.extraHeaders = { Cookie: who.cookie };
    const { lhr, artifacts } = await lighthouse(base + path, flags);
    return { lhr, trace: artifacts.Trace };
  } finally {
    await chrome.kill();
  }
}
let low = 0;
// Scores vary from run to run (Lighthouse's own advice is the median of
// several): each page is audited LIGHTHOUSE_RUNS times (3), every run's
// scores printed, and the median run's judged. LIGHTHOUSE_PAGES=board
// checks only the pages whose name matches; LIGHTHOUSE_SAVE=dir keeps each
// run's report and trace (the trace opens in Chromium's Performance panel).
const runs = Number(process.env.LIGHTHOUSE_RUNS || 3);
const only = new RegExp(process.env.LIGHTHOUSE_PAGES || '.');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(['page', 'path', ...categories, 'run'].join('\t'));
for (const [name, path, who] of pages.filter(([name]) => only.test(name))) {
  const done = [];
  for (let run = 1; run <= runs; run++) {
    // A trace Chromium failed to record (NO_NAVSTART on a busy machine) is
    // taken again, once.
    let got = await audit(path, who);
    if (got.lhr.runtimeError) got = await audit(path, who);
    const { lhr, trace } = got;
    if (lhr.runtimeError) throw new Error(`${path}: ${lhr.runtimeError.message}`);
    if (new URL(lhr.finalDisplayedUrl).pathname !== path) throw new Error(`${path} led to ${lhr.finalDisplayedUrl}: not signed in?`);
    if (process.env.LIGHTHOUSE_SAVE) {
      const file = join(process.env.LIGHTHOUSE_SAVE, `${name.replace(/\W+/g, '-')}-${run}`);
      writeFileSync(`${file}.report.json`, JSON.stringify(lhr));
      writeFileSync(`${file}.trace.json`, JSON.stringify(trace));
    }
    console.log([name, path.replace(/\d+/g, 'N'), ...categories.map((c) => lhr.categories[c].score.toFixed(2)), run].join('\t'));
    done.push(lhr);
  }
  for (const c of categories) {
    const score = median(done.map((l) => l.categories[c].score));
    if (score >= 0.95) continue;
    low++;
    const lhr = done.find((l) => l.categories[c].score === score);
    console.log(`  ${name}: ${c} ${score.toFixed(2)} (median of ${runs})`);
    for (const ref of lhr.categories[c].auditRefs) {
      const a = lhr.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 0.9) console.log(`  ${c}: ${a.id} ${a.score} ${a.displayValue || ''} ${a.title}`);
    }
    if (c === 'performance') {
      // Where the main thread's time went, and how big the page is.
      const work = lhr.audits['mainthread-work-breakdown'];
      const items = (work.details?.items || []).map((i) => `${i.groupLabel || i.group} ${Math.round(i.duration)} ms`);
      console.log(`  main thread: ${items.join(', ')}; ${lhr.audits['dom-size'].displayValue || ''}`);
    }
  }
}
process.exitCode = low ? 1 : 0;
