// Lighthouse runs for gates/lighthouse.py: one Debian Chromium (CHROME_PATH), a fresh
// profile, every URL in mobile and desktop form. Reads a job file
// {"urls": [[name, url], ...], "out": folder}; writes <out>/summary.json with each run's four
// category scores and the audits that cost points, plus an HTML report of each run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];

const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
fs.mkdirSync(job.out, { recursive: true });
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "lighthouse-profile-"));
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: FLAGS,
  userDataDir: profile,
  logLevel: "silent",
});
const summary = [];
try {
  for (const [name, url] of job.urls) {
    for (const formFactor of ["mobile", "desktop"]) {
      const flags = { port: chrome.port, output: "html", logLevel: "error", onlyCategories: CATEGORIES };
      const result = await lighthouse(url, flags, formFactor === "desktop" ? desktopConfig : undefined);
      const lhr = result.lhr;
      const scores = {};
      const lost = [];
      for (const id of CATEGORIES) {
        const category = lhr.categories[id];
        scores[id] = category.score === null ? null : Math.round(category.score * 100);
        for (const ref of category.auditRefs) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
            lost.push({ category: id, id: ref.id, score: audit.score, title: audit.title,
                        value: audit.displayValue || "" });
          }
        }
      }
      const report = path.join(job.out, `${name}-${formFactor}.html`);
      fs.writeFileSync(report, result.report);
      const metrics = {};
      for (const id of ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                        "cumulative-layout-shift", "speed-index"]) {
        metrics[id] = lhr.audits[id] ? lhr.audits[id].numericValue : null;
      }
      summary.push({ name, url, formFactor, scores, lost, metrics, report,
                     runtimeError: lhr.runtimeError ? lhr.runtimeError.message : null });
      process.stderr.write(`lighthouse: ${name} ${formFactor} ${JSON.stringify(scores)}\n`);
    }
  }
} finally {
  await chrome.kill();
  fs.rmSync(profile, { recursive: true, force: true });
}
fs.writeFileSync(path.join(job.out, "summary.json"), JSON.stringify(summary, null, 2));
