/**
 * Reads the oracle's compute report for one epoch: a CSV file (`validator,compute` per line, an
 * optional header line, `#` comments) or a JSON file (an array of `{ "validator": "0x…", "compute":
 * "123" }`, compute as a decimal string or a safe integer). Every refusal is an `Error` with a
 * one-line message naming the file and the line or entry. The entries are then checked again, and
 * the tree built, by `buildEpoch` (duplicates, zero compute, bad addresses).
 */
import fs from "node:fs";
import path from "node:path";
import type { ComputeEntry } from "./epoch";

const DECIMAL = /^[0-9]+$/;

function computeOf(raw: unknown, where: string): bigint {
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0) return BigInt(raw);
  if (typeof raw === "string" && DECIMAL.test(raw.trim())) return BigInt(raw.trim());
  throw new Error(`${where}: compute must be a non-negative whole number, got ${JSON.stringify(raw)}`);
}

/** Parses a CSV report. `name` names the source in messages. */
export function parseCsvReport(text: string, name = "report"): ComputeEntry[] {
  const entries: ComputeEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const cells = line.split(",").map((c) => c.trim());
    const where = `${name} line ${i + 1}`;
    if (entries.length === 0 && cells[0].toLowerCase() === "validator") continue; // header
    if (cells.length !== 2) throw new Error(`${where}: expected "validator,compute", got ${JSON.stringify(line)}`);
    entries.push({ validator: cells[0], compute: computeOf(cells[1], where) });
  }
  if (entries.length === 0) throw new Error(`${name}: no entries`);
  return entries;
}

/** Parses a JSON report. `name` names the source in messages. */
export function parseJsonReport(text: string, name = "report"): ComputeEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name}: not valid JSON (${(error as Error).message.split("\n")[0]})`);
  }
  if (!Array.isArray(parsed)) throw new Error(`${name}: expected an array of { validator, compute }`);
  if (parsed.length === 0) throw new Error(`${name}: no entries`);
  return parsed.map((item: unknown, i) => {
    const where = `${name} entry ${i}`;
    if (typeof item !== "object" || item === null) throw new Error(`${where}: expected { validator, compute }`);
    const { validator, compute } = item as { validator?: unknown; compute?: unknown };
    if (typeof validator !== "string") throw new Error(`${where}: validator must be an address string`);
    return { validator, compute: computeOf(compute, where) };
  });
}

/** Reads a report file; `.json` is JSON, anything else CSV. */
export function readComputeReport(file: string): ComputeEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(
      `cannot read the report ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const name = path.basename(file);
  return file.toLowerCase().endsWith(".json") ? parseJsonReport(text, name) : parseCsvReport(text, name);
}
