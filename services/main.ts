/**
 * `npm run services -- --roles indexer,api`: the network services in one process (see --help and the
 * README's "Network services"). SIGINT/SIGTERM stop every role and close the database.
 */
import { JsonRpcProvider } from "ethers";
import { loadDeployment } from "../sdk";
import { startApi } from "./api";
import { ConfigError, helpText, parseConfig, type Config } from "./config";
import { openDb } from "./db";
import { Indexer } from "./indexer";
import { createLogger, type Level } from "./log";

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
  const provider = new JsonRpcProvider(config.rpcUrl, undefined, { pollingInterval: Number(config.pollMs) });
  const { chainId } = await provider.getNetwork();
  const record = loadDeployment(chainId, config.deployments);
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
  });
  log.info("started", { roles: config.roles, chainId: Number(chainId), database: db.kind });

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
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  log.info("stopping");
  stop.abort();
  await Promise.all(tasks);
  await api?.close();
  await db.close();
  provider.destroy();
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
