/**
 * Configuration of `npm run services`: every option is a flag (`--rpc-url URL`) or an environment
 * variable (`DG_RPC_URL`); a flag wins. Keys and the upload token are read from the environment only
 * ({@link SECRETS}: no flag, so they never show in a process list), never from a file in the repository.
 */
export const ROLES = ["indexer", "api", "keeper", "oracle", "guardian", "agent"] as const;
export type Role = (typeof ROLES)[number];

interface OptionSpec {
  flag: string;
  env: string;
  help: string;
  default?: string;
}

export const OPTIONS = {
  roles: { flag: "roles", env: "DG_ROLES", help: `comma-separated roles to run: ${ROLES.join(", ")}` },
  rpcUrl: {
    flag: "rpc-url",
    env: "DG_RPC_URL",
    help: "JSON-RPC endpoint of the chain",
    default: "http://127.0.0.1:8545",
  },
  deployments: {
    flag: "deployments-dir",
    env: "DG_DEPLOYMENTS_DIR",
    help: "folder of the deployment records (<chainId>.json); default: deployments/ of the repository",
  },
  databaseUrl: {
    flag: "database-url",
    env: "DATABASE_URL",
    help: "postgres://… URL of a PostgreSQL server; without it the embedded database (PGlite) is used",
  },
  dataDir: {
    flag: "data-dir",
    env: "DG_DATA_DIR",
    help: "folder of the embedded database (PGlite)",
    default: "./services-data",
  },
  fromBlock: {
    flag: "from-block",
    env: "DG_FROM_BLOCK",
    help: "first block the indexer reads on an empty database (the suite's deployment block)",
    default: "0",
  },
  batchBlocks: { flag: "batch-blocks", env: "DG_BATCH_BLOCKS", help: "blocks per eth_getLogs call", default: "2000" },
  reorgDepth: {
    flag: "reorg-depth",
    env: "DG_REORG_DEPTH",
    help: "blocks below the head whose hashes are re-checked on every poll (reorganisations deeper than this are not undone)",
    default: "64",
  },
  pollMs: { flag: "poll-ms", env: "DG_POLL_MS", help: "milliseconds between polls of the chain", default: "2000" },
  apiHost: { flag: "api-host", env: "DG_API_HOST", help: "address the API listens on", default: "127.0.0.1" },
  apiPort: { flag: "api-port", env: "DG_API_PORT", help: "port the API listens on", default: "8080" },
  reportDir: {
    flag: "report-dir",
    env: "DG_REPORT_DIR",
    help: "oracle: folder watched for compute reports named epoch-<n>.csv or epoch-<n>.json",
    default: "./services-data/reports",
  },
  uploadHost: {
    flag: "upload-host",
    env: "DG_UPLOAD_HOST",
    help: "oracle: address of the report upload server (POST /reports/<epoch>; runs when DG_ORACLE_UPLOAD_TOKEN is set)",
    default: "127.0.0.1",
  },
  uploadPort: {
    flag: "upload-port",
    env: "DG_UPLOAD_PORT",
    help: "oracle: port of the upload server",
    default: "8081",
  },
  guardianReportUrl: {
    flag: "guardian-report-url",
    env: "DG_GUARDIAN_REPORT_URL",
    help: "guardian: base URL of the oracle's API, whose /epochs/<n>/report it rebuilds (required for the guardian)",
  },
  guardianMissingGrace: {
    flag: "guardian-missing-grace",
    env: "DG_GUARDIAN_MISSING_GRACE",
    help: "guardian: seconds after a posting after which a root with no published report is revoked",
    default: "300",
  },
  guardianDeadlineMargin: {
    flag: "guardian-deadline-margin",
    env: "DG_GUARDIAN_DEADLINE_MARGIN",
    help: "guardian: seconds before activation at which a root whose report cannot be fetched is revoked",
    default: "3600",
  },
  agentPort: {
    flag: "agent-port",
    env: "DG_AGENT_PORT",
    help: "agent: port of the receipt server (POST /receipt), which listens on 127.0.0.1 only",
    default: "8082",
  },
  answerCommand: {
    flag: "answer-command",
    env: "DG_ANSWER_COMMAND",
    help: "agent: command run (by /bin/sh, with the task id and the input location appended; also DG_TASK_ID, DG_INPUT_LOCATION, DG_CHECK_ID, DG_INPUT_HASH) when drawn; prints the result hash or INPUT_MISMATCH (required for the agent)",
  },
  answerTimeout: {
    flag: "answer-timeout",
    env: "DG_ANSWER_TIMEOUT",
    help: "agent: seconds after which the answer command is killed",
    default: "600",
  },
  agentInputBase: {
    flag: "agent-input-base",
    env: "DG_AGENT_INPUT_BASE",
    help: "agent: the input location given to the answer command is <this>/<task id> (a folder or a URL prefix)",
    default: "./services-data/inputs",
  },
  agentApiUrl: {
    flag: "agent-api-url",
    env: "DG_AGENT_API_URL",
    help: "agent: base URL of the API whose /validators/<address>/claimable it claims (none: the agent does not claim)",
  },
  logLevel: { flag: "log-level", env: "DG_LOG_LEVEL", help: "debug, info, warn or error", default: "info" },
} satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

/** Read from the environment only. */
export const SECRETS = {
  DG_KEEPER_KEY: "keeper: private key of the account that sends release/settle/draw/finalize",
  DG_ORACLE_KEY: "oracle: private key of an account with ORACLE_ROLE of ComputeRewards",
  DG_GUARDIAN_KEY: "guardian: private key of an account with GUARDIAN_ROLE of ComputeRewards",
  DG_AGENT_KEY: "agent: private key of the validator the agent acts for (receipts, commit/reveal, claims)",
  DG_ORACLE_UPLOAD_TOKEN: "oracle: bearer token of the upload server (no token: no upload server)",
} as const;

/** The secret a role needs, or undefined. */
export const ROLE_KEY: Partial<Record<Role, keyof typeof SECRETS>> = {
  keeper: "DG_KEEPER_KEY",
  oracle: "DG_ORACLE_KEY",
  guardian: "DG_GUARDIAN_KEY",
  agent: "DG_AGENT_KEY",
};
export type Config = Record<Exclude<OptionName, "roles">, string | undefined> & { roles: Role[]; help: boolean };

export class ConfigError extends Error {}

/** The `--help` text: every option with its flag, variable and default. */
export function helpText(): string {
  const lines = [
    "Usage: npm run services -- --roles indexer,api [options]",
    "",
    "Every option can also be given by its environment variable; a flag wins over the environment.",
    "",
  ];
  for (const spec of Object.values(OPTIONS) as OptionSpec[]) {
    const def = spec.default !== undefined ? ` (default: ${spec.default})` : "";
    lines.push(`  --${spec.flag} <value>   [${spec.env}]`, `      ${spec.help}${def}`);
  }
  lines.push("  --help", "      print this text and exit", "", "From the environment only (never a flag or a file):");
  for (const [name, help] of Object.entries(SECRETS)) lines.push(`  ${name}`, `      ${help}`);
  return `${lines.join("\n")}\n`;
}

/** Parses `argv` (without node and script) over `env`. Throws a one-line {@link ConfigError}. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): Config {
  const byFlag = new Map<string, OptionName>();
  for (const [name, spec] of Object.entries(OPTIONS)) byFlag.set(spec.flag, name as OptionName);
  const values: Partial<Record<OptionName, string>> = {};
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (!arg.startsWith("--")) throw new ConfigError(`unexpected argument ${arg} (see --help)`);
    const eq = arg.indexOf("=");
    const flag = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const name = byFlag.get(flag);
    if (!name) throw new ConfigError(`unknown option --${flag} (see --help)`);
    let value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new ConfigError(`--${flag} needs a value`);
    value = value.trim();
    values[name] = value;
  }
  const config = { help } as Config;
  for (const [name, spec] of Object.entries(OPTIONS) as [OptionName, OptionSpec][]) {
    const value = values[name] ?? env[spec.env] ?? spec.default;
    (config as Record<string, unknown>)[name] = value === "" ? undefined : value;
  }
  const rolesText = (values.roles ?? env.DG_ROLES ?? "") as string;
  const roles = rolesText
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  for (const role of roles) {
    if (!(ROLES as readonly string[]).includes(role))
      throw new ConfigError(`unknown role ${role}: one of ${ROLES.join(", ")}`);
  }
  config.roles = [...new Set(roles)] as Role[];
  if (!help && config.roles.length === 0) throw new ConfigError("no role: give --roles (see --help)");
  for (const name of [
    "fromBlock",
    "batchBlocks",
    "reorgDepth",
    "pollMs",
    "apiPort",
    "uploadPort",
    "guardianMissingGrace",
    "guardianDeadlineMargin",
    "agentPort",
    "answerTimeout",
  ] as const) {
    const v = config[name];
    if (v !== undefined && !/^[0-9]+$/.test(v))
      throw new ConfigError(`--${OPTIONS[name].flag} must be a whole number, got ${v}`);
  }
  if (!help) {
    for (const role of config.roles) {
      const secret = ROLE_KEY[role];
      if (secret && !env[secret])
        throw new ConfigError(`the ${role} needs its key in the environment variable ${secret}`);
    }
    if (config.roles.includes("guardian") && !config.guardianReportUrl)
      throw new ConfigError("the guardian needs --guardian-report-url (the oracle's API)");
    if (config.roles.includes("agent") && !config.answerCommand)
      throw new ConfigError("the agent needs --answer-command (the operator's answer to a check)");
  }
  return config;
}
