// Runs once when the Next.js server starts: starts Quorum's embedded Kafka cluster.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startQuorum } = await import("./server/quorum");
  startQuorum();
}
