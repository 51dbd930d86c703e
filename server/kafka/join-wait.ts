import "server-only";

/**
 * How long a stop waits for a kafkajs consumer still joining its group before it disconnects it
 * anyway. kafkajs's disconnect in the middle of a join can leave the consumer running, a member of
 * its group for good (tulios/kafkajs#1639): a stop lets the join end first. `run()` settles once
 * the consumer has first joined, or crashed; a later rejoin (after a crash's restart) is not waited
 * for, and a consumer that never joins is disconnected after this long (a stop can take that much).
 */
export const JOIN_WAIT_MS = 15_000;

/** Resolves when `joined` settles, or after `waitMs`, whichever is first; never rejects. */
export async function joinSettled(joined: Promise<unknown>, waitMs = JOIN_WAIT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([joined.catch(() => {}), new Promise((r) => (timer = setTimeout(r, waitMs)))]);
  clearTimeout(timer);
}
