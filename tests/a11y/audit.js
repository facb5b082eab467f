// Audits ksreport's web pages in Debian's chromium: axe-core at each width, and at narrow widths
// horizontal page scroll, text smaller than 12 CSS px and words broken inside across lines.
// Usage: node audit.js CHROMIUM FILE.html [FILE.html...]; prints one JSON object on stdout.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const puppeteer = require("puppeteer-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const WIDTHS = [1280, 320];

// Runs in the page: every text node's words, located by Range.getClientRects per character, must
// each sit on one line; every visible text must be at least 12 CSS px; the page must not scroll
// sideways.
function measure() {
  const doc = document.documentElement;
  const result = {
    scrollWidth: doc.scrollWidth,
    clientWidth: doc.clientWidth,
    smallText: [],
    brokenWords: [],
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const seenSmall = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    if (!text.trim()) continue;
    const parent = node.parentElement;
    if (parent.closest("svg")) continue; // SVG text is measured below, at its drawn scale
    const style = getComputedStyle(parent);
    if (style.visibility === "hidden" || style.display === "none") continue;
    range.selectNodeContents(node);
    if (range.getClientRects().length === 0) continue;
    const size = parseFloat(style.fontSize);
    if (size < 12 && !seenSmall.has(parent)) {
      seenSmall.add(parent);
      result.smallText.push({ text: text.trim().slice(0, 40), px: size });
    }
    const re = /[^\s\u00ad]+/g;
    let m;
    while ((m = re.exec(text))) {
      const word = m[0];
      if (word.length < 2) continue;
      let firstTop = null;
      let broken = false;
      for (let i = 0; i < word.length; i++) {
        range.setStart(node, m.index + i);
        range.setEnd(node, m.index + i + 1);
        const rects = range.getClientRects();
        if (rects.length === 0) continue;
        const r = rects[0];
        if (r.width === 0 && r.height === 0) continue;
        const mid = r.top + r.height / 2;
        if (firstTop === null) firstTop = { top: r.top, bottom: r.bottom };
        else if (mid > firstTop.bottom || mid < firstTop.top) { broken = true; break; }
      }
      // A word with a hyphen or slash may wrap after it, as it would in print.
      if (broken && !/[-\u2010\u2011\u2013/]/.test(word)) result.brokenWords.push(word + " in <" + parent.tagName.toLowerCase() + " class=" + parent.className + ">");
    }
  }
  // SVG text: rendered size (font size times the SVG's scale).
  for (const t of document.querySelectorAll("svg text")) {
    const r = t.getBoundingClientRect();
    if (r.width === 0) continue;
    const svg = t.ownerSVGElement;
    const ctm = t.getScreenCTM();
    const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (px < 11.95) result.smallText.push({ text: "svg: " + t.textContent.slice(0, 40), px: Math.round(px * 10) / 10 });
  }
  return result;
}

(async () => {
  const [chromium, ...files] = process.argv.slice(2);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ksreport-a11y-"));
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    userDataDir,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const out = {};
  try {
    for (const file of files) {
      const page = await browser.newPage();
      out[file] = {};
      for (const width of WIDTHS) {
        await page.setViewport({ width, height: 800 });
        await page.goto("file://" + path.resolve(file), { waitUntil: "load" });
        await page.addScriptTag({ content: axeSource });
        const axe = await page.evaluate(async (tags) => {
          const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
          return r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 10), count: v.nodes.length,
          }));
        }, TAGS);
        const m = await page.evaluate(measure);
        const tabStops = await page.evaluate(
          () => document.querySelectorAll("[tabindex]:not([tabindex='-1'])").length);
        out[file][width] = { axe, tabStops, ...m };
      }
      await page.close();
    }
  } finally {
    await browser.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out, null, 1));
})().catch((e) => { console.error(e); process.exit(2); });
