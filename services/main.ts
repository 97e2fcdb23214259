/**
 * `npm run services -- --roles indexer,api,keeper,oracle,guardian,agent`: the network services in one process (see --help and the
 * README's "Network services"). SIGINT/SIGTERM stop every role and close the database.
 */
import { JsonRpcProvider, Network, Wallet } from "ethers";
import { connectSuite, loadDeployment } from "../sdk";
import path from "node:path";
import { Agent, startReceiptServer, type ReceiptServer } from "./agent";
import { startApi } from "./api";
import { ConfigError, helpText, parseConfig, type Config } from "./config";
import { openDb } from "./db";
import { Guardian } from "./guardian";
import { Indexer } from "./indexer";
import { Keeper } from "./keeper";
import { createLogger, type Level } from "./log";
import { Oracle, startUploadServer, type UploadServer } from "./oracle";
import { Sender } from "./sender";

export async function main(argv: string[]): Promise<number> {
  let config: Config;
  try {
    config = parseConfig(argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (config.help) {
    process.stdout.write(helpText());
    return 0;
  }
  const log = createLogger({ level: (config.logLevel ?? "info") as Level, base: { service: "dg-services" } });
  const probe = new JsonRpcProvider(config.rpcUrl, undefined, { staticNetwork: true });
  const { chainId } = await probe.getNetwork();
  probe.destroy();
  // A static network: a node that stops answering makes calls fail (and the sender retry), not hang.
  const network = Network.from(chainId);
  const provider = new JsonRpcProvider(config.rpcUrl, network, {
    staticNetwork: network,
    pollingInterval: Number(config.pollMs),
  });
  const record = loadDeployment(chainId, config.deployments);
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
  });
  log.info("started", { roles: config.roles, chainId: Number(chainId), database: db.kind, pid: process.pid });

  const stop = new AbortController();
  const tasks: Promise<unknown>[] = [];
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  if (config.roles.includes("indexer")) {
    const indexer = new Indexer(
      db,
      provider,
      record,
      {
        fromBlock: Number(config.fromBlock),
        batchBlocks: Number(config.batchBlocks),
        reorgDepth: Number(config.reorgDepth),
      },
      log.child({ role: "indexer" }),
    );
    tasks.push(indexer.run(stop.signal, Number(config.pollMs)));
  }
  // One sender per account: roles sharing a key share its nonce sequence and journal.
  const senders = new Map<string, Sender>();
  const senderFor = async (secret: string, role: string) => {
    const wallet = new Wallet(process.env[secret]!, provider);
    let sender = senders.get(wallet.address);
    if (!sender) {
      sender = new Sender(
        db,
        provider,
        wallet,
        Number(chainId),
        log.child({ role: "sender", account: wallet.address }),
        {
          pollMs: Number(config.pollMs),
          signal: stop.signal,
        },
      );
      senders.set(wallet.address, sender);
      await sender.resumeAll();
    }
    log.info("account", { role, account: wallet.address });
    return sender;
  };
  const pollMs = Number(config.pollMs);
  let upload: UploadServer | undefined;
  if (config.roles.includes("keeper")) {
    const sender = await senderFor("DG_KEEPER_KEY", "keeper");
    const keeper = new Keeper(db, provider, connectSuite(record, provider), sender, log.child({ role: "keeper" }));
    tasks.push(keeper.run(stop.signal, pollMs));
  }
  if (config.roles.includes("oracle")) {
    const sender = await senderFor("DG_ORACLE_KEY", "oracle");
    const suite = connectSuite(record, provider);
    const oracle = new Oracle(db, suite, sender, log.child({ role: "oracle" }), config.reportDir!);
    tasks.push(oracle.run(stop.signal, pollMs));
    const token = process.env.DG_ORACLE_UPLOAD_TOKEN;
    if (token) {
      upload = await startUploadServer({
        suite,
        reportDir: config.reportDir!,
        token,
        host: config.uploadHost!,
        port: Number(config.uploadPort),
        log: log.child({ role: "oracle-upload" }),
      });
      log.info("report upload listening", { url: upload.url });
    }
  }
  if (config.roles.includes("guardian")) {
    const sender = await senderFor("DG_GUARDIAN_KEY", "guardian");
    const guardian = new Guardian(
      db,
      provider,
      connectSuite(record, provider),
      sender,
      log.child({ role: "guardian" }),
      {
        reportUrl: config.guardianReportUrl!,
        missingGraceSeconds: Number(config.guardianMissingGrace),
        deadlineMarginSeconds: Number(config.guardianDeadlineMargin),
      },
    );
    tasks.push(guardian.run(stop.signal, pollMs));
  }
  let receipts: ReceiptServer | undefined;
  if (config.roles.includes("agent")) {
    const wallet = new Wallet(process.env.DG_AGENT_KEY!, provider);
    const suite = connectSuite(record, provider);
    const sender = await senderFor("DG_AGENT_KEY", "agent");
    const agent = new Agent(
      db,
      provider,
      suite,
      wallet,
      sender,
      log.child({ role: "agent", account: wallet.address }),
      {
        answerCommand: config.answerCommand!,
        answerTimeoutMs: Number(config.answerTimeout) * 1000,
        inputBase: config.agentInputBase!,
        saltDir: path.join(config.dataDir!, "agent-salts"),
        apiUrl: config.agentApiUrl,
        fromBlock: Number(config.fromBlock),
        batchBlocks: Number(config.batchBlocks),
        reorgDepth: Number(config.reorgDepth),
      },
    );
    tasks.push(agent.run(stop.signal, pollMs));
    receipts = await startReceiptServer({
      suite,
      wallet,
      host: "127.0.0.1",
      port: Number(config.agentPort),
      log: log.child({ role: "agent-receipts" }),
    });
    log.info("receipt server listening", { url: receipts.url });
  }
  if (config.roles.includes("api")) {
    api = await startApi({
      db,
      provider,
      host: config.apiHost!,
      port: Number(config.apiPort),
      log: log.child({ role: "api" }),
    });
    log.info("api listening", { url: api.url });
  }
  // The first SIGINT/SIGTERM stops; later ones (a terminal's Ctrl-C reaches npm and this process, and npm
  // forwards it again) are ignored while stopping.
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    let received: NodeJS.Signals | undefined;
    const onSignal = (name: NodeJS.Signals) => {
      if (received === undefined) resolve((received = name));
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  log.info("stopping", { signal });
  stop.abort();
  await Promise.all(tasks);
  await api?.close();
  await upload?.close();
  await receipts?.close();
  await db.close();
  provider.destroy();
  log.info("stopped");
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(
        `${JSON.stringify({ time: new Date().toISOString(), level: "error", msg: "fatal", error: (error as Error).message.split("\n")[0] })}\n`,
      );
      process.exit(1);
    },
  );
}
