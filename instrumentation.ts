// Runs once when the Next.js server starts: starts Quorum's embedded Kafka cluster.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startQuorum } = await import("./server/lifecycle");
  try {
    startQuorum();
  } catch (err) {
    // A bad setting or config file: say which, and do not serve a console that cannot work.
    console.error(`[quorum] cannot start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
