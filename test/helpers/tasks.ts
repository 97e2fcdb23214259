/** Runs the `dg:*` tasks in-process exactly as the CLI runs them (same arguments, same output). */
import hre from "hardhat";

export interface TaskRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `dg:<name>` with CLI-style arguments; returns its exit code and what it printed. */
export async function dg(name: string, args: Record<string, string | boolean | number> = {}): Promise<TaskRun> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  const warn = console.warn;
  const exitCode = process.exitCode;
  console.log = (...parts: unknown[]) => out.push(parts.join(" "));
  console.error = (...parts: unknown[]) => err.push(parts.join(" "));
  console.warn = (...parts: unknown[]) => err.push(parts.join(" "));
  process.exitCode = 0;
  try {
    // As typed on a command line: numbers arrive as text (`--account` is parsed by the task itself).
    const typed = Object.fromEntries(
      Object.entries(args).map(([key, value]) => [key, typeof value === "number" ? String(value) : value]),
    );
    await hre.run(`dg:${name}`, typed);
  } finally {
    console.log = log;
    console.error = error;
    console.warn = warn;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = exitCode;
  return { code, out: out.join("\n"), err: err.join("\n") };
}
