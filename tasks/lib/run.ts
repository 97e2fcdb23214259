/**
 * Runs a task body so that an expected failure (a refusal, a bad argument, a decoded contract error)
 * prints one line on stderr and sets exit code 1, instead of Hardhat's stack trace.
 */
export async function runTask(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`error: ${message.split("\n")[0]}`);
    process.exitCode = 1;
  }
}
