/**
 * The cross-check (SPEC 6) seen from each side:
 * - the paired validator signs a delivery receipt with each result ({@link signReceipt}: EIP-712,
 *   domain "CrossCheck" / "1" / chain id / the CrossCheck contract) and hands it to the user;
 * - the coordinator opens a check from that receipt ({@link CoordinatorClient.open}), after checking
 *   locally everything the contract would refuse, then anyone draws and finalizes;
 * - a drawn checker commits its answer ({@link CheckerClient.commitResult}): the commitment is computed
 *   HERE, never by a node, and the salt is written to a file (mode 0600, fsynced) BEFORE the commit
 *   transaction is broadcast; {@link CheckerClient.revealResult} reads it back.
 * Secrets (a checker's answer and salt) never leave the machine before the reveal.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  AbiCoder,
  TypedDataEncoder,
  ZeroAddress,
  getAddress,
  hexlify,
  isAddress,
  keccak256,
  randomBytes,
  toUtf8Bytes,
  verifyTypedData,
  type ContractTransactionReceipt,
  type Signer,
  type TypedDataDomain,
} from "ethers";
import type { Suite } from "./deployments";
import { DataGenSdkError, contractError } from "./errors";
import { readJsonFile } from "./proofs";
import { earliestMiningTime } from "./tx";
import { send } from "./validator";

/** CrossCheck verdicts, by enum value. */
export const VERDICTS = [
  "None",
  "Invalid",
  "Pass",
  "CheckerSlashed",
  "TieDecided",
  "PairedSlashed",
  "Inconclusive",
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** What a checker reveals when the input it was given does not hash to the receipt's inputHash (the contract's constant). */
export const INPUT_MISMATCH = keccak256(toUtf8Bytes("DATAGEN_CROSSCHECK_INPUT_MISMATCH"));

const ZERO_HASH = `0x${"0".repeat(64)}`;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const DECIMAL = /^[0-9]+$/;
const UINT64_MAX = 2n ** 64n - 1n;

/** A delivery receipt, as the contract's `Receipt` struct (times in unix seconds). */
export interface DeliveryReceipt {
  taskId: string;
  user: string;
  inputHash: string;
  resultHash: string;
  deliveredAt: bigint;
}

/** A receipt with its signature, as the validator hands it to the user and the coordinator submits it. */
export interface SignedReceipt {
  receipt: DeliveryReceipt;
  /** The validator that signed it. */
  paired: string;
  signature: string;
  /** The chain and the CrossCheck contract whose EIP-712 domain it was signed under. */
  chainId: bigint;
  crossCheck: string;
}

/** The EIP-712 type of a receipt (the contract's `RECEIPT_TYPEHASH`). */
export const RECEIPT_TYPES = {
  Receipt: [
    { name: "taskId", type: "bytes32" },
    { name: "user", type: "address" },
    { name: "inputHash", type: "bytes32" },
    { name: "resultHash", type: "bytes32" },
    { name: "deliveredAt", type: "uint64" },
  ],
};

/** The EIP-712 domain of the CrossCheck contract at `crossCheck` on `chainId`. */
export function receiptDomain(chainId: bigint, crossCheck: string): TypedDataDomain {
  return { name: "CrossCheck", version: "1", chainId, verifyingContract: getAddress(crossCheck) };
}

/** The digest the paired validator signs (equals the contract's `receiptDigest(receipt)`). */
export function receiptDigest(receipt: DeliveryReceipt, domain: TypedDataDomain): string {
  return TypedDataEncoder.hash(domain, RECEIPT_TYPES, receipt);
}

/** The address whose ECDSA key signed `receipt` (a contract validator signs through ERC-1271 instead). */
export function recoverReceiptSigner(receipt: DeliveryReceipt, signature: string, domain: TypedDataDomain): string {
  return verifyTypedData(domain, RECEIPT_TYPES, receipt, signature);
}

/**
 * keccak256 of a task's input or result: bytes as they are, a string as its UTF-8 bytes. The input
 * hash and the result hash of a receipt are computed this way.
 */
export function hashContent(data: string | Uint8Array): string {
  return keccak256(typeof data === "string" ? toUtf8Bytes(data) : data);
}
/** The input hash of a receipt ({@link hashContent}). */
export const hashInput = hashContent;
/** The result hash of a receipt ({@link hashContent}). */
export const hashResult = hashContent;

/** A task id: 32-byte hex as it is, any other text hashed (keccak256 of its UTF-8 bytes). */
export function taskIdOf(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") throw new DataGenSdkError("the task id must not be empty");
  return BYTES32.test(trimmed) ? trimmed.toLowerCase() : keccak256(toUtf8Bytes(trimmed));
}

/**
 * The commitment a checker submits, computed locally exactly as the contract's `commitmentOf`:
 * `keccak256(abi.encode(chainId, crossCheck, checkId, party, resultHash, salt))`.
 */
export function commitmentOf(input: {
  chainId: bigint;
  crossCheck: string;
  checkId: bigint;
  party: string;
  resultHash: string;
  salt: string;
}): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["uint256", "address", "uint256", "address", "bytes32", "bytes32"],
      [input.chainId, input.crossCheck, input.checkId, input.party, input.resultHash, input.salt],
    ),
  );
}

/** Why the contract would refuse `receipt` as it stands (the checks that need no chain state), or undefined. */
export function receiptProblem(receipt: DeliveryReceipt, paired: string): string | undefined {
  if (receipt.taskId === ZERO_HASH) return "the task id must not be zero";
  if (getAddress(receipt.user) === ZeroAddress) return "the receipt's user is the zero address";
  if (getAddress(paired) === ZeroAddress) return "the paired validator is the zero address";
  if (getAddress(receipt.user) === getAddress(paired))
    return `the user ${receipt.user} cannot be its own paired validator`;
  if (receipt.inputHash === ZERO_HASH) return "the receipt's input hash must not be zero";
  if (receipt.resultHash === ZERO_HASH) return "the receipt's result hash must not be zero";
  if (receipt.resultHash.toLowerCase() === INPUT_MISMATCH) {
    return "the receipt's result hash is the INPUT_MISMATCH constant, not a result";
  }
  if (receipt.deliveredAt < 0n || receipt.deliveredAt > UINT64_MAX) return "deliveredAt does not fit in 64 bits";
  return undefined;
}

const iso = (t: bigint) => new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");

async function chainOf(suite: Suite, signer: Signer): Promise<{ chainId: bigint; crossCheck: string }> {
  const provider = signer.provider;
  if (!provider) throw new DataGenSdkError("the signer has no provider: connect it to a network first");
  return { chainId: (await provider.getNetwork()).chainId, crossCheck: await suite.crossCheck.getAddress() };
}

async function latestTimestamp(signer: Signer): Promise<bigint> {
  return BigInt((await signer.provider!.getBlock("latest"))!.timestamp);
}

/** What the paired validator delivered: hashes, or the input and result themselves (hashed here). */
export interface Delivery {
  taskId: string;
  user: string;
  inputHash?: string;
  input?: string | Uint8Array;
  resultHash?: string;
  result?: string | Uint8Array;
  /** Unix seconds; default: the latest block's time (the clock the contract checks against). */
  deliveredAt?: bigint;
}

/**
 * The paired validator's side: signs the delivery receipt of a task (EIP-712 typed data under the
 * CrossCheck domain of `suite`'s chain). Sends nothing. Refuses a receipt the contract would refuse.
 */
export async function signReceipt(suite: Suite, signer: Signer, delivery: Delivery): Promise<SignedReceipt> {
  const pick = (hash: string | undefined, data: string | Uint8Array | undefined, what: string): string => {
    if (hash !== undefined && data !== undefined) throw new DataGenSdkError(`give the ${what} or its hash, not both`);
    if (hash !== undefined) {
      if (!BYTES32.test(hash)) throw new DataGenSdkError(`the ${what} hash must be 32 bytes in hex`);
      return hash.toLowerCase();
    }
    if (data === undefined) throw new DataGenSdkError(`the ${what} (or its hash) is missing`);
    return hashContent(data);
  };
  if (!isAddress(delivery.user)) throw new DataGenSdkError(`the user "${delivery.user}" is not an address`);
  const { chainId, crossCheck } = await chainOf(suite, signer);
  const paired = await signer.getAddress();
  const receipt: DeliveryReceipt = {
    taskId: taskIdOf(delivery.taskId),
    user: getAddress(delivery.user),
    inputHash: pick(delivery.inputHash, delivery.input, "input"),
    resultHash: pick(delivery.resultHash, delivery.result, "result"),
    deliveredAt: delivery.deliveredAt ?? (await latestTimestamp(signer)),
  };
  const problem = receiptProblem(receipt, paired);
  if (problem) throw new DataGenSdkError(problem);
  const signature = await signer.signTypedData(receiptDomain(chainId, crossCheck), RECEIPT_TYPES, receipt);
  return { receipt, paired, signature, chainId, crossCheck };
}

/* ===================== RECEIPT FILES ===================== */

export const RECEIPT_FORMAT = "datagen-receipt/1";

/** A signed receipt as JSON (every number a decimal string). */
export function toReceiptJson(signed: SignedReceipt): Record<string, unknown> {
  return {
    format: RECEIPT_FORMAT,
    chainId: signed.chainId.toString(),
    crossCheck: getAddress(signed.crossCheck),
    paired: getAddress(signed.paired),
    signature: signed.signature,
    receipt: { ...signed.receipt, deliveredAt: signed.receipt.deliveredAt.toString() },
  };
}

/** Checks a parsed receipt file; throws a one-line {@link DataGenSdkError} naming the bad field. */
export function validateReceiptJson(value: unknown, where = "receipt file"): SignedReceipt {
  const fail = (what: string): never => {
    throw new DataGenSdkError(`${where}: ${what}`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("not a receipt object");
  const f = value as Record<string, unknown>;
  if (f.format !== undefined && f.format !== RECEIPT_FORMAT) fail(`format must be "${RECEIPT_FORMAT}"`);
  if (typeof f.chainId !== "string" || !DECIMAL.test(f.chainId)) fail("chainId must be a decimal string");
  if (typeof f.crossCheck !== "string" || !isAddress(f.crossCheck)) fail("crossCheck must be an address");
  if (typeof f.paired !== "string" || !isAddress(f.paired)) fail("paired must be an address");
  if (typeof f.signature !== "string" || !/^0x([0-9a-fA-F]{2})+$/.test(f.signature)) {
    fail("signature must be hex bytes");
  }
  const r = f.receipt as Record<string, unknown> | undefined;
  if (typeof r !== "object" || r === null || Array.isArray(r)) fail("receipt must be an object");
  for (const key of ["taskId", "inputHash", "resultHash"]) {
    if (typeof r![key] !== "string" || !BYTES32.test(r![key] as string)) fail(`receipt.${key} must be 32 bytes in hex`);
  }
  if (typeof r!.user !== "string" || !isAddress(r!.user)) fail("receipt.user must be an address");
  if (typeof r!.deliveredAt !== "string" || !DECIMAL.test(r!.deliveredAt)) {
    fail("receipt.deliveredAt must be a decimal string (unix seconds)");
  }
  const receipt: DeliveryReceipt = {
    taskId: (r!.taskId as string).toLowerCase(),
    user: getAddress(r!.user as string),
    inputHash: (r!.inputHash as string).toLowerCase(),
    resultHash: (r!.resultHash as string).toLowerCase(),
    deliveredAt: BigInt(r!.deliveredAt as string),
  };
  const problem = receiptProblem(receipt, f.paired as string);
  if (problem) fail(problem);
  return {
    receipt,
    paired: getAddress(f.paired as string),
    signature: f.signature as string,
    chainId: BigInt(f.chainId as string),
    crossCheck: getAddress(f.crossCheck as string),
  };
}

/** Reads and checks a receipt file. */
export function readReceiptFile(file: string): SignedReceipt {
  return validateReceiptJson(readJsonFile(file), file);
}

/** Writes a receipt file (pretty JSON). */
export function writeReceiptFile(file: string, signed: SignedReceipt): void {
  fs.writeFileSync(file, `${JSON.stringify(toReceiptJson(signed), null, 2)}\n`);
}

/* ===================== COORDINATOR ===================== */

/** The coordinator's client (COORDINATOR_ROLE of CrossCheck): open from receipts; anyone draws and finalizes. */
export class CoordinatorClient {
  constructor(
    readonly suite: Suite,
    readonly signer: Signer,
  ) {}

  /**
   * Why `open(receipt, paired, signature)` would be refused now, checked locally in the contract's
   * order (well-formed, not from the future, not expired, task not checked yet, signed by `paired`,
   * paired has stake), or undefined. A paired validator with code (ERC-1271) is left to the contract.
   */
  async refusal(receipt: DeliveryReceipt, paired: string, signature: string): Promise<string | undefined> {
    const problem = receiptProblem(receipt, paired);
    if (problem) return problem;
    const { chainId, crossCheck } = await chainOf(this.suite, this.signer);
    const cc = this.suite.crossCheck;
    const me = await this.signer.getAddress();
    if (!(await cc.hasRole(await cc.COORDINATOR_ROLE(), me))) return `${me} lacks the coordinator role of CrossCheck`;
    const now = await latestTimestamp(this.signer);
    if (receipt.deliveredAt > now) {
      return `the receipt says it was delivered at ${iso(receipt.deliveredAt)}, after the latest block (${iso(now)}): it is from the future`;
    }
    const maxAge = await cc.maxReceiptAge();
    if (now - receipt.deliveredAt > maxAge) {
      return `the receipt was delivered at ${iso(receipt.deliveredAt)}, more than ${maxAge} s before the latest block (${iso(now)}): it expired`;
    }
    const existing = await cc.checkOfTask(receipt.taskId);
    if (existing !== 0n) return `task ${receipt.taskId} is already checked by check ${existing}`;
    const pairedCode = await this.signer.provider!.getCode(paired);
    if (pairedCode === "0x") {
      let signer: string;
      try {
        signer = recoverReceiptSigner(receipt, signature, receiptDomain(chainId, crossCheck));
      } catch {
        return "the receipt's signature is malformed";
      }
      if (signer !== getAddress(paired)) {
        return `the receipt is signed by ${signer}, not by the paired validator ${getAddress(paired)} (on chain ${chainId}, CrossCheck ${crossCheck})`;
      }
    }
    const v = await this.suite.staking.validatorInfo(paired);
    if (v.active === 0n && v.unbonding === 0n) return `the paired validator ${paired} has no stake left in the escrow`;
    return undefined;
  }

  /**
   * Opens a check of the task of `receipt`, signed by `paired`. Verifies everything locally first
   * ({@link refusal}) and refuses with one line (a {@link DataGenSdkError}) before sending anything.
   * `transaction` is the opening transaction's receipt.
   */
  async open(
    receipt: DeliveryReceipt,
    paired: string,
    signature: string,
  ): Promise<{ checkId: bigint; snapshotBlock: bigint; seedBlock: bigint; transaction: ContractTransactionReceipt }> {
    const refused = await this.refusal(receipt, paired, signature);
    if (refused) throw new DataGenSdkError(refused);
    const cc = this.suite.crossCheck.connect(this.signer);
    const transaction = await send(cc.open, receipt, paired, signature);
    const checkId = await cc.checkOfTask(receipt.taskId, { blockTag: transaction.blockNumber });
    const info = await cc.checkInfo(checkId, { blockTag: transaction.blockNumber });
    return { checkId, snapshotBlock: info.snapshotBlock, seedBlock: info.seedBlock, transaction };
  }

  /** {@link open} from a signed receipt (a receipt file), refusing one made for another chain or contract. */
  async openSigned(signed: SignedReceipt): Promise<Awaited<ReturnType<CoordinatorClient["open"]>>> {
    const { chainId, crossCheck } = await chainOf(this.suite, this.signer);
    if (signed.chainId !== chainId) {
      throw new DataGenSdkError(`the receipt is for chain ${signed.chainId}, not this network's chain ${chainId}`);
    }
    if (getAddress(signed.crossCheck) !== crossCheck) {
      throw new DataGenSdkError(
        `the receipt is for the CrossCheck at ${signed.crossCheck}, not this deployment's ${crossCheck}`,
      );
    }
    return this.open(signed.receipt, signed.paired, signed.signature);
  }

  /** Draws the pending checkers of a check (anyone may; needs a block after the seed block). */
  draw(checkId: bigint): Promise<ContractTransactionReceipt> {
    return send(this.suite.crossCheck.connect(this.signer).draw, checkId);
  }

  /** Finalizes a check after its reveal deadline (anyone may) and returns the verdict. */
  async finalize(checkId: bigint): Promise<{ verdict: Verdict; receipt: ContractTransactionReceipt }> {
    const receipt = await send(this.suite.crossCheck.connect(this.signer).finalize, checkId);
    const info = await this.suite.crossCheck.checkInfo(checkId, { blockTag: receipt.blockNumber });
    return { verdict: VERDICTS[Number(info.verdict)], receipt };
  }
}

/* ===================== SALT STORE ===================== */

export const SALT_FORMAT = "datagen-salt/1";

/** What a checker must keep between its commit and its reveal. */
export interface SaltRecord {
  format: typeof SALT_FORMAT;
  chainId: string;
  crossCheck: string;
  checkId: string;
  party: string;
  resultHash: string;
  salt: string;
  commitment: string;
}

/** The default salt store: `$DG_SALTS_DIR`, or `~/.datagen/salts`. */
export function defaultSaltDir(): string {
  return process.env.DG_SALTS_DIR ?? path.join(os.homedir(), ".datagen", "salts");
}

/** `<dir>/<chainId>-<crossCheck>-<checkId>-<party>.json`. */
export function saltFilePath(
  where: { chainId: bigint; crossCheck: string; checkId: bigint; party: string },
  dir = defaultSaltDir(),
): string {
  return path.join(
    dir,
    `${where.chainId}-${getAddress(where.crossCheck)}-${where.checkId}-${getAddress(where.party)}.json`,
  );
}

/**
 * Writes `record` to `file` durably: a temporary file (mode 0600) written and fsynced, renamed over
 * `file`, and the folder fsynced, so that the salt survives a crash that follows.
 */
export function writeSaltFile(file: string, record: SaltRecord): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, "w", 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(record, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(temporary, 0o600);
  fs.renameSync(temporary, file);
  const dirFd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}

/** Reads and checks a salt file. */
export function readSaltFile(file: string): SaltRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataGenSdkError(
      code
        ? `cannot read the salt file ${file}: ${code}`
        : `${file}: not valid JSON (${(error as Error).message.split("\n")[0]})`,
    );
  }
  const r = parsed as Partial<SaltRecord> | null;
  const ok =
    r !== null &&
    typeof r === "object" &&
    r.format === SALT_FORMAT &&
    typeof r.chainId === "string" &&
    DECIMAL.test(r.chainId) &&
    typeof r.checkId === "string" &&
    DECIMAL.test(r.checkId) &&
    typeof r.crossCheck === "string" &&
    isAddress(r.crossCheck) &&
    typeof r.party === "string" &&
    isAddress(r.party) &&
    [r.resultHash, r.salt, r.commitment].every((h) => typeof h === "string" && BYTES32.test(h));
  if (!ok) throw new DataGenSdkError(`${file}: not a salt file (${SALT_FORMAT})`);
  return r as SaltRecord;
}

/* ===================== CHECKER ===================== */

/** Where a checker keeps its salt: a file it names, or the store's default file for the check. */
export interface SaltOptions {
  /** The salt file (default: {@link saltFilePath} in {@link defaultSaltDir}). */
  saltFile?: string;
  /** The store's folder, when `saltFile` is not given. */
  saltDir?: string;
}

/** A drawn checker (the three, then the fifth of a tie): commit, then reveal. */
export class CheckerClient {
  constructor(
    readonly suite: Suite,
    readonly signer: Signer,
  ) {}

  /**
   * The hash this checker answers for the task of check `checkId`, given the `input` it received:
   * `compute(input)`'s hash when the input hashes to the receipt's inputHash, else
   * {@link INPUT_MISMATCH} (and `compute` is not called).
   */
  async answer(
    checkId: bigint,
    input: string | Uint8Array,
    compute: (input: string | Uint8Array) => string | Uint8Array | Promise<string | Uint8Array>,
  ): Promise<{ resultHash: string; inputMatches: boolean }> {
    const info = await this.suite.crossCheck.checkInfo(checkId);
    if (Number(info.phase) === 0) throw new DataGenSdkError(`there is no check ${checkId}`);
    if (hashContent(input) !== info.inputHash.toLowerCase()) return { resultHash: INPUT_MISMATCH, inputMatches: false };
    return { resultHash: hashContent(await compute(input)), inputMatches: true };
  }

  /** The salt file of this checker for check `checkId`. */
  async saltFileFor(checkId: bigint, options: SaltOptions = {}): Promise<string> {
    if (options.saltFile) return options.saltFile;
    const { chainId, crossCheck } = await chainOf(this.suite, this.signer);
    return saltFilePath({ chainId, crossCheck, checkId, party: await this.signer.getAddress() }, options.saltDir);
  }

  /**
   * Refuses, with chain reads only and the contract's own error, what the contract's `commit` would
   * refuse from this checker now (the commitment itself is neither needed nor sent): an unknown check
   * (`CrossCheckUnknownCheck`), a check not in a commit round (`CrossCheckWrongPhase`), a signer who is
   * not a party of the current round (`CrossCheckNotAParty`), a commit window closed by the earliest
   * time the commit can be mined (`CrossCheckCommitClosed`). Whether the signer already committed is
   * checked by {@link commitResult}, which names its salt file.
   */
  async requireCanCommit(checkId: bigint): Promise<void> {
    const info = await this.suite.crossCheck.checkInfo(checkId);
    const phase = BigInt(info.phase);
    if (phase === 0n) throw contractError("CrossCheckUnknownCheck", [checkId]);
    const party = getAddress(await this.signer.getAddress());
    const drawn = info.drawn.map((a) => getAddress(a));
    let isParty: boolean;
    if (phase === 2n)
      isParty = drawn.slice(0, 3).includes(party); // Drawn: the three checkers
    else if (phase === 4n)
      isParty = drawn[3] === party; // FifthDrawn: the fifth
    else throw contractError("CrossCheckWrongPhase", [checkId, phase]);
    if (!isParty) throw contractError("CrossCheckNotAParty", [checkId, party]);
    const minedAt = await earliestMiningTime(this.signer, 1);
    const deadline = BigInt(info.commitDeadline);
    if (minedAt > deadline) throw contractError("CrossCheckCommitClosed", [minedAt, deadline]);
  }

  /**
   * Commits `resultHash` (a result's hash, or {@link INPUT_MISMATCH}) to check `checkId`. The
   * commitment is computed locally ({@link commitmentOf}); first every check the contract's `commit`
   * makes is made with chain reads ({@link requireCanCommit}), nothing secret sent; the salt (fresh and random unless given)
   * is written with the check, the party, the hash, the chain and the contract to the salt file and
   * fsynced, then `onSaltStored(file)` is called, and only then is the commit transaction sent.
   * Running it again after a crash reuses the stored salt for the same hash.
   */
  async commitResult(
    checkId: bigint,
    resultHash: string,
    options: SaltOptions & { salt?: string; onSaltStored?: (file: string) => void } = {},
  ): Promise<{ salt: string; commitment: string; saltFile: string; receipt: ContractTransactionReceipt }> {
    if (!BYTES32.test(resultHash)) throw new DataGenSdkError("the result hash must be 32 bytes in hex");
    if (resultHash === ZERO_HASH) throw new DataGenSdkError("the result hash must not be zero");
    if (options.salt !== undefined && !BYTES32.test(options.salt))
      throw new DataGenSdkError("the salt must be 32 bytes in hex");
    const hash = resultHash.toLowerCase();
    const { chainId, crossCheck } = await chainOf(this.suite, this.signer);
    const party = await this.signer.getAddress();
    const saltFile = await this.saltFileFor(checkId, options);
    await this.requireCanCommit(checkId); // before the salt is stored: a refused commit leaves no file
    const [committed] = await this.suite.crossCheck.submission(checkId, party);
    if (committed !== ZERO_HASH) {
      throw new DataGenSdkError(`${party} already committed to check ${checkId} (its salt should be in ${saltFile})`);
    }
    let salt = options.salt?.toLowerCase();
    if (fs.existsSync(saltFile)) {
      const stored = readSaltFile(saltFile);
      const same =
        BigInt(stored.chainId) === chainId &&
        getAddress(stored.crossCheck) === crossCheck &&
        BigInt(stored.checkId) === checkId &&
        getAddress(stored.party) === party;
      if (!same)
        throw new DataGenSdkError(`${saltFile} holds the salt of another check or party: refusing to overwrite it`);
      if (stored.resultHash !== hash) {
        throw new DataGenSdkError(
          `${saltFile} holds a salt for the result hash ${stored.resultHash}, not ${hash}: remove it first to commit another answer`,
        );
      }
      if (salt !== undefined && salt !== stored.salt) {
        throw new DataGenSdkError(`${saltFile} holds another salt for this commit: remove it first to use a new one`);
      }
      salt = stored.salt;
    }
    salt ??= hexlify(randomBytes(32));
    const commitment = commitmentOf({ chainId, crossCheck, checkId, party, resultHash: hash, salt });
    writeSaltFile(saltFile, {
      format: SALT_FORMAT,
      chainId: chainId.toString(),
      crossCheck,
      checkId: checkId.toString(),
      party,
      resultHash: hash,
      salt,
      commitment,
    });
    options.onSaltStored?.(saltFile);
    const receipt = await send(this.suite.crossCheck.connect(this.signer).commit, checkId, commitment);
    return { salt, commitment, saltFile, receipt };
  }

  /**
   * Reveals the committed hash of check `checkId` (after the commit deadline), read back from the
   * salt file; refuses before sending if the file is for another check, party, chain or contract,
   * or does not match the commitment on-chain.
   */
  async revealResult(
    checkId: bigint,
    options: SaltOptions = {},
  ): Promise<{ resultHash: string; saltFile: string; receipt: ContractTransactionReceipt }> {
    const { chainId, crossCheck } = await chainOf(this.suite, this.signer);
    const party = await this.signer.getAddress();
    const saltFile = await this.saltFileFor(checkId, options);
    const stored = readSaltFile(saltFile);
    if (
      BigInt(stored.chainId) !== chainId ||
      getAddress(stored.crossCheck) !== crossCheck ||
      BigInt(stored.checkId) !== checkId ||
      getAddress(stored.party) !== party
    ) {
      throw new DataGenSdkError(
        `${saltFile} is the salt of check ${stored.checkId} of ${stored.party} on chain ${stored.chainId} (${stored.crossCheck}), not of check ${checkId} of ${party} here`,
      );
    }
    const [committed] = await this.suite.crossCheck.submission(checkId, party);
    if (committed === ZERO_HASH)
      throw new DataGenSdkError(`${party} did not commit to check ${checkId}: nothing to reveal`);
    if (committed !== stored.commitment) {
      throw new DataGenSdkError(`${saltFile} does not match ${party}'s commitment to check ${checkId}`);
    }
    const receipt = await send(
      this.suite.crossCheck.connect(this.signer).reveal,
      checkId,
      stored.resultHash,
      stored.salt,
    );
    return { resultHash: stored.resultHash, saltFile, receipt };
  }
}
