/** How the app writes amounts, times and rates: DG with thousands separators (never wei), exact dates. */
import { parseUnits } from "viem";
export { formatDG } from "../../sdk/messages";

/** "1,000.5" or "1000.5" DG → wei; throws a plain sentence for anything else. */
export function parseDG(text: string): bigint {
  const clean = text.replace(/[,\s_]/g, "");
  if (!/^\d+(\.\d{1,18})?$/.test(clean)) throw new Error(`"${text}" is not an amount of DG (e.g. 1,000 or 20.5)`);
  return parseUnits(clean, 18);
}

/** An exact date in UTC: "2026-03-14 09:26:53 UTC". */
export function formatDate(unixSeconds: bigint | number): string {
  return `${new Date(Number(unixSeconds) * 1000)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "")} UTC`;
}

/** "3 d 04 h 05 min 06 s" (a countdown); "0 s" for nothing left. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (d > 0) return `${d} d ${pad(h)} h ${pad(m)} min ${pad(s % 60)} s`;
  if (h > 0) return `${h} h ${pad(m)} min ${pad(s % 60)} s`;
  if (m > 0) return `${m} min ${pad(s % 60)} s`;
  return `${s % 60} s`;
}

/** Basis points as a percentage: 2000 → "20 %", 1234 → "12.34 %". */
export function formatBps(bps: bigint | number): string {
  const n = Number(bps);
  return `${(n / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })} %`;
}

/** 0x1234…abcd */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** A whole number with thousands separators. */
export function formatInt(n: bigint | number): string {
  return BigInt(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
