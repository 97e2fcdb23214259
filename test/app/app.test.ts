/**
 * The web app end to end, in headless Chromium (Debian's `chromium`, driven by playwright-core), against
 * anvil with the suite deployed by `dg:deploy`, the indexer and the API running (embedded database), the
 * bundle built by `vite build` and served as static files, and an injected EIP-1193 wallet over the
 * node's unlocked accounts. One holder-and-validator walks through every page.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { Wallet } from "ethers";
import type { Browser, Page } from "playwright-core";
import { HolderClient, OracleClient, connectSuite, formatDG, type DeploymentRecord, type Suite } from "../../sdk";
import { ERROR_MESSAGES } from "../../sdk/messages";
import { startApi, type ApiServer } from "../../services/api";
import { openDb, type Db } from "../../services/db";
import { Indexer } from "../../services/indexer";
import { publishEpoch } from "../../services/published";
import { REAL_BUILD } from "../helpers/fixtures";
import { startAnvil, type RunningNode } from "../helpers/node";
import { accountKey, deployOn, memoryLogger } from "../services/helpers";
import {
  TestWallet,
  buildApp,
  initialJsGzip,
  launchBrowser,
  localConfig,
  seriousViolations,
  serveApp,
  timeToInteractive,
  type StaticServer,
} from "./harness";

const DG = 10n ** 18n;
const HOUR = 3_600;

/** "6 d 23 h 59 min 58 s" → seconds. */
function parseCountdown(text: string): number {
  const unit = { d: 86_400, h: 3_600, min: 60, s: 1 } as Record<string, number>;
  return [...text.matchAll(/(\d+) (d|h|min|s)\b/g)].reduce((sum, m) => sum + Number(m[1]) * unit[m[2]], 0);
}

describe(`web app in headless Chromium against anvil, the suite and the services ${REAL_BUILD}`, function () {
  this.timeout(240_000);
  // One holder's walk through the app: each step builds on the previous one.
  this.bail(true);
  let node: RunningNode;
  let record: DeploymentRecord;
  let suite: Suite;
  let db: Db;
  let api: ApiServer;
  let site: StaticServer;
  let browser: Browser;
  let page: Page;
  let wallet: TestWallet;
  const stopIndexer = new AbortController();
  let indexing: Promise<void> | undefined;
  const treasury = () => new Wallet(accountKey(0), node.provider);
  const user = () => new Wallet(accountKey(1), node.provider);
  const other = () => new Wallet(accountKey(2), node.provider);

  async function travel(seconds: number) {
    await node.provider.send("evm_increaseTime", [seconds]);
    await node.provider.send("evm_mine", []);
  }
  async function chainTime(): Promise<number> {
    return (await node.provider.getBlock("latest"))!.timestamp;
  }
  async function open(hash: string) {
    await page.goto(`${site.url}#/${hash}`);
    await page.waitForSelector(`html[data-ready="${hash}"]`, { timeout: 30_000 });
  }
  async function expectNoSeriousViolation(where: string) {
    const violations = await seriousViolations(page);
    expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
  }
  async function txDone(text: string | RegExp) {
    await page.getByTestId("tx-status").filter({ hasText: text }).waitFor({ timeout: 30_000 });
  }

  before(async () => {
    const started = Date.now();
    node = await startAnvil({ chainId: 97 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-app-"));
    ({ record, suite } = await deployOn(node, dir));
    for (const to of [user(), other()])
      await (await suite.token.connect(treasury()).transfer(to.address, 800_000n * DG)).wait();
    db = await openDb({});
    const { log } = memoryLogger();
    const indexer = new Indexer(db, node.provider, record, { fromBlock: 0, batchBlocks: 2_000, reorgDepth: 16 }, log);
    await indexer.syncToHead();
    indexing = indexer.run(stopIndexer.signal, 250);
    api = await startApi({ db, provider: node.provider, host: "127.0.0.1", port: 0, log });
    buildApp();
    site = await serveApp(localConfig(record, node.url, api.url));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    wallet = new TestWallet(node.url, 97, user().address);
    await wallet.install(page);
    console.log(`      (set-up: anvil, dg:deploy, services, vite build, chromium in ${Date.now() - started} ms)`);
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    stopIndexer.abort();
    await indexing;
    await api?.close();
    await db?.close();
    await node?.stop();
  });

  it("loads the schedule from the chain (time to interactive measured), connects the injected wallet, shows DG with separators", async () => {
    const { gzipBytes, files } = initialJsGzip();
    await page.goto(`${site.url}#/schedule`);
    const tti = await timeToInteractive(page);
    console.log(
      `      initial JavaScript: ${(gzipBytes / 1024).toFixed(1)} kB gzipped (${files.join(", ")}); time to interactive: ${tti.toFixed(0)} ms`,
    );
    expect(gzipBytes).to.be.greaterThan(0);
    expect(await page.getByTestId("released").textContent()).to.equal(formatDG(await suite.reservation.emitted()));
    const start = Number(await suite.reservation.start());
    const day = Math.floor(((await chainTime()) - start) / 86_400);
    // dg:deploy on a test chain starts the release at the next midnight: day -1 until then.
    const rate = formatDG(await suite.reservation.dailyRate(Math.max(day, 0)));
    expect(await page.getByTestId("rate").textContent()).to.match(
      day < 0 ? new RegExp(`^not started: ${rate} a day from `) : new RegExp(`^${rate} a day$`),
    );
    const toHalving = (Math.floor(Math.max(day, 0) / 1_095) + 1) * 1_095 - day;
    expect(await page.getByTestId("next-halving").textContent()).to.match(
      new RegExp(`^in ${toHalving.toLocaleString("en-US")} days, on `),
    );
    // The chart's corners are a second read of the chain: wait for them, then there is exactly one line.
    await page.locator("svg[role=img] path.cumulative").first().waitFor();
    expect(await page.locator("svg[role=img] path.cumulative").count()).to.equal(1);
    await expectNoSeriousViolation("schedule page");

    await page.getByRole("button", { name: "Connect browser wallet" }).click();
    await page.getByTestId("account").waitFor();
    expect(await page.getByTestId("account").getAttribute("title")).to.equal(user().address);
    await page.getByTestId("dg-balance").filter({ hasText: "800,000 DG" }).waitFor();
  });

  it("stakes with ONE permit signature and one transaction, and shows the Active status", async () => {
    await open("validator");
    const minStake = await suite.staking.minStake();
    const [signs, sends] = [wallet.count("eth_signTypedData_v4"), wallet.count("eth_sendTransaction")];
    await page.getByLabel("DG to stake").fill("10,000");
    await page.getByRole("button", { name: "Sign the permit and stake" }).click();
    await txDone("You staked 10,000 DG with one permit signature and one transaction.");
    expect(wallet.count("eth_signTypedData_v4") - signs).to.equal(1);
    const sent = wallet.calls.filter((c) => c.method === "eth_sendTransaction").slice(sends);
    expect(sent).to.have.length(1);
    expect((sent[0].params[0] as { to: string }).to.toLowerCase()).to.equal(
      record.contracts.ValidatorStaking.toLowerCase(),
    );
    expect((await suite.staking.validatorInfo(user().address)).active).to.equal(minStake);
    await page.getByTestId("validator-status").filter({ hasText: "Active" }).waitFor();
    expect(await page.getByTestId("active-stake").textContent()).to.equal("10,000 DG");
    await page.getByTestId("no-slashes").waitFor();
    await expectNoSeriousViolation("validator page");
  });

  it("shows a contract error in the SDK's plain words, and sends nothing", async () => {
    const sends = wallet.count("eth_sendTransaction");
    await page.getByLabel("DG to unbond").fill("25000");
    await page.getByRole("button", { name: "Request unbond" }).click();
    const error = page.getByTestId("tx-error");
    await error.waitFor();
    const expected = ERROR_MESSAGES.ValidatorStakingAmountAboveStake([25_000n * DG, 10_000n * DG]);
    expect(expected).to.equal("25,000 DG is more than the active stake of 10,000 DG");
    expect(await error.textContent()).to.contain(`The contract refused: ${expected}.`);
    expect(wallet.count("eth_sendTransaction")).to.equal(sends);
  });

  it("the wrong-network guard blocks every transaction and switches the wallet back", async () => {
    const [signs, sends] = [wallet.count("eth_signTypedData_v4"), wallet.count("eth_sendTransaction")];
    await wallet.setChain(page, 1);
    const guard = page.getByTestId("network-guard");
    await guard.waitFor();
    expect(await guard.textContent()).to.contain("Every transaction is blocked");
    expect(await page.getByRole("button", { name: "Sign the permit and stake" }).isDisabled()).to.equal(true);
    expect(await page.getByRole("button", { name: "Request unbond" }).isDisabled()).to.equal(true);
    // Submitting the form anyway (as a script could) reaches the guard in the sending code, which asks the wallet its chain.
    await page.getByLabel("DG to stake").fill("1");
    await page
      .locator("form", { has: page.getByLabel("DG to stake") })
      .evaluate((f) => (f as unknown as { requestSubmit(): void }).requestSubmit());
    await page.getByTestId("tx-error").filter({ hasText: "Refused: your wallet is on chain 1" }).waitFor();
    expect(wallet.count("eth_signTypedData_v4")).to.equal(signs);
    expect(wallet.count("eth_sendTransaction")).to.equal(sends);

    await guard.getByRole("button", { name: /Switch wallet to/ }).click();
    await guard.waitFor({ state: "detached" });
    const switches = wallet.calls.filter((c) => c.method === "wallet_switchEthereumChain");
    expect(switches.at(-1)!.params).to.deep.equal([{ chainId: "0x61" }]);
    expect(await page.getByRole("button", { name: "Sign the permit and stake" }).isDisabled()).to.equal(false);
  });

  it("proposes, backs the pool to open the vote, locks and votes, sees the tally and the countdown follow the quiet ending, settles after time travel, withdraws", async () => {
    await open("vote");
    await expectNoSeriousViolation("vote page (no proposal)");
    await page.getByLabel("Burn this percentage of each release").fill("20");
    await page.getByLabel(/Vote length in days/).fill("7");
    await page.getByRole("button", { name: "Propose (deposit 1,000 DG)" }).click();
    await txDone("Your proposal is created");
    await page.getByTestId("status-1").filter({ hasText: "pooling" }).waitFor();

    await page.getByLabel("DG to pool into #1").fill("100,000");
    await page.getByRole("button", { name: "Back", exact: true }).click();
    await txDone("You backed proposal #1 with 100,000 DG.");
    await page.getByTestId("status-1").filter({ hasText: "being voted on" }).waitFor();
    const opened = await suite.inflationVote.getProposal(1);
    expect(await page.getByTestId("quorum").textContent()).to.equal(formatDG(opened.quorum));

    // The lock is explained, and must be acknowledged, before the wallet is asked anything.
    const explain = (await page.locator("#lock-explain").textContent()) ?? "";
    expect(explain).to.contain("at least 20 DG");
    expect(explain).to.contain("stay locked until the vote is settled");
    const mine = opened.quorum + 1_000n * DG;
    await page.getByLabel("For (burn 20 %)").check();
    await page.getByLabel("DG to lock").fill(formatDG(mine).replace(" DG", ""));
    const lockButton = page.getByRole("button", { name: "Lock and vote" });
    expect(await lockButton.isDisabled()).to.equal(true);
    await page.getByLabel("I understand that my DG stay locked until the vote is settled.").check();
    await lockButton.click();
    await txDone(`You locked ${formatDG(mine)} and voted for proposal #1.`);
    await page
      .getByTestId("for-votes")
      .and(page.locator(`[aria-valuetext^="${formatDG(mine)} of"]`))
      .waitFor();
    await page.getByTestId("outcome").filter({ hasText: "pass" }).waitFor();
    await page
      .getByTestId("votes-list")
      .filter({ hasText: `${formatDG(mine)} for` })
      .waitFor();

    // The countdown counts to the end read from the chain.
    const end = Number((await suite.inflationVote.getProposal(1)).votingEnd);
    expect(await page.getByTestId("vote-end").textContent()).to.equal(
      `${new Date(end * 1000).toISOString().replace("T", " ").slice(0, 19)} UTC`,
    );
    const left = parseCountdown((await page.getByTestId("countdown").textContent()) ?? "");
    expect(Math.abs(left - (end - (await chainTime())))).to.be.lessThan(15);
    await page.waitForTimeout(2_100);
    expect(parseCountdown((await page.getByTestId("countdown").textContent()) ?? "")).to.be.lessThan(left);

    // Six hours before the end another holder takes the lead: the quiet ending moves the end.
    await travel(end - (await chainTime()) - 6 * HOUR);
    const against = mine + 5_000n * DG;
    await new HolderClient(connectSuite(record, other()), other()).vote(1n, false, against);
    const extended = Number((await suite.inflationVote.getProposal(1)).votingEnd);
    expect(extended).to.be.greaterThan(end);
    await page.getByTestId("extended").waitFor();
    await page
      .getByTestId("vote-end")
      .filter({ hasText: new Date(extended * 1000).toISOString().replace("T", " ").slice(0, 19) })
      .waitFor();
    const leftAfter = parseCountdown((await page.getByTestId("countdown").textContent()) ?? "");
    expect(Math.abs(leftAfter - 12 * HOUR)).to.be.lessThan(15);
    await page.getByTestId("outcome").filter({ hasText: "fail" }).waitFor();
    fs.mkdirSync(path.join(__dirname, "..", "..", "reports"), { recursive: true });
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await page.screenshot({
      path: process.env.DG_APP_SCREENSHOT ?? path.join(__dirname, "..", "..", "reports", "app.png"),
      fullPage: false,
    });
    await expectNoSeriousViolation("vote page (running vote)");

    // After the end: settle, then withdraw the pooled and locked DG and the deposit.
    await travel(extended - (await chainTime()) + 60);
    await page.getByRole("button", { name: "Settle the vote" }).click();
    await txDone("The vote on proposal #1 is settled.");
    await page.getByTestId("status-1").filter({ hasText: "failed" }).waitFor();
    const before = await suite.token.balanceOf(user().address);
    const back = 100_000n * DG + mine + 1_000n * DG;
    await page.getByRole("button", { name: `Withdraw ${formatDG(back)}` }).click();
    await txDone("Your DG from proposal #1 are back in your wallet.");
    expect((await suite.token.balanceOf(user().address)) - before).to.equal(back);
    await page
      .getByTestId("dg-balance")
      .filter({ hasText: formatDG(before + back) })
      .waitFor();
  });

  it("claims two epochs with the API's proofs in ONE transaction and shows the balance change", async () => {
    const oracle = new OracleClient(connectSuite(record, treasury()), treasury());
    const challenge = Number(await suite.rewards.challengeWindow());
    const ended = Number(await suite.rewards.epochStart(3)) - (await chainTime());
    if (ended > 0) await travel(ended + 1);
    let expected = 0n;
    for (const epoch of [1n, 2n]) {
      await (await suite.reservation.connect(treasury()).release()).wait();
      const { proofs } = await oracle.buildEpoch(epoch, [
        { validator: user().address, compute: 300n },
        { validator: other().address, compute: 700n },
      ]);
      await publishEpoch(db, proofs);
      await oracle.postEpoch(epoch, proofs, { skipEarlier: true }); // epoch 0 (no compute) may be skipped
      expected += ((await suite.rewards.getEpoch(epoch)).pool * 300n) / 1_000n;
      await travel(challenge + 1);
    }
    await open("validator");
    const claim = page.getByRole("button", { name: `Claim 2 epochs (${formatDG(expected)}) in one transaction` });
    await claim.waitFor({ timeout: 30_000 });
    const before = await suite.token.balanceOf(user().address);
    const sends = wallet.count("eth_sendTransaction");
    await claim.click();
    await txDone(`Claimed epochs 1, 2 in one transaction: ${formatDG(expected)}.`);
    expect(wallet.count("eth_sendTransaction") - sends).to.equal(1);
    expect((await suite.token.balanceOf(user().address)) - before).to.equal(expected);
    expect(await suite.rewards.isSettled(1, user().address)).to.equal(true);
    expect(await suite.rewards.isSettled(2, user().address)).to.equal(true);
    await page
      .getByTestId("dg-balance")
      .filter({ hasText: formatDG(before + expected) })
      .waitFor();
    await page.getByTestId("nothing-to-claim").waitFor({ timeout: 30_000 });
    await expectNoSeriousViolation("validator page (after claiming)");
  });

  it("with the API unreachable keeps working from the chain alone and says what is missing", async () => {
    const closed = await serveApp(localConfig(record, node.url, "http://127.0.0.1:9"));
    const offline = await browser.newPage();
    try {
      const offWallet = new TestWallet(node.url, 97, user().address);
      await offWallet.install(offline);
      await offline.goto(`${closed.url}#/schedule`);
      await offline.waitForSelector('html[data-ready="schedule"]');
      expect(await offline.getByTestId("released").textContent()).to.equal(formatDG(await suite.reservation.emitted()));
      await offline.getByTestId("api-banner").filter({ hasText: "does not answer" }).waitFor();
      await offline.getByTestId("needs-api").filter({ hasText: "the history of releases" }).waitFor();
      await offline.getByRole("button", { name: "Connect browser wallet" }).click();
      await offline.goto(`${closed.url}#/validator`);
      await offline.waitForSelector('html[data-ready="validator"]');
      await offline.getByTestId("validator-status").filter({ hasText: "Active" }).waitFor();
      await offline.getByTestId("needs-api").filter({ hasText: "claimable epochs and their proofs" }).waitFor();
      await offline.goto(`${closed.url}#/vote`);
      await offline.waitForSelector('html[data-ready="vote"]');
      await offline.getByTestId("status-1").filter({ hasText: "failed" }).waitFor();
    } finally {
      await offline.close();
      await closed.close();
    }
  });
});
