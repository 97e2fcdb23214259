/**
 * `npm run app:measure`: builds the app, deploys the suite on a fresh anvil (chain 97, `dg:deploy`), serves
 * the bundle, and reports the initial JavaScript (gzipped) and the time to interactive in headless Chromium
 * (navigation start to the app's `dg-ready` mark: the Schedule page showing the chain's data), cold, over
 * five loads each in a new browser context. No services' API runs: the app reads the chain alone.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildApp, initialJsGzip, launchBrowser, localConfig, serveApp, timeToInteractive } from "../test/app/harness";
import { startAnvil } from "../test/helpers/node";
import { deployOn } from "../test/services/helpers";

async function main() {
  buildApp();
  const js = initialJsGzip();
  const node = await startAnvil({ chainId: 97 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-app-measure-"));
  const browser = await launchBrowser();
  try {
    const { record } = await deployOn(node, dir);
    const site = await serveApp(localConfig(record, node.url, null));
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${site.url}#/schedule`);
      times.push(await timeToInteractive(page));
      await context.close();
    }
    await site.close();
    times.sort((a, b) => a - b);
    console.log(
      `initial JavaScript: ${js.files.join(", ")}: ${(js.bytes / 1024).toFixed(1)} kB, ${(js.gzipBytes / 1024).toFixed(1)} kB gzipped`,
    );
    console.log(
      `time to interactive (Schedule page, local anvil, cold, 5 loads): median ${times[2].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[4].toFixed(0)} ms`,
    );
  } finally {
    await browser.close();
    await node.stop();
  }
}

main().catch((error) => {
  console.error(`error: ${(error as Error).message}`);
  process.exit(1);
});
