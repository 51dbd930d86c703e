import "server-only";
import { AppError } from "../errors";

/** Who holds a lock: a fixed description, or one that fills in once known (a drill's id). */
export type Holder = string | (() => string);

/**
 * One per cluster: serialises what changes which brokers run — broker stops and starts, and drills
 * (which stop and start brokers for their whole run). Never waits: a second taker is refused at once
 * with 409 `busy`, told what holds the lock and since when.
 */
export class ClusterLock {
  private held: { holder: Holder; since: number; token: symbol } | null = null;

  constructor(private readonly clusterId: string) {}

  /** What holds the lock and since when, or null when it is free. */
  get holder(): string | null {
    if (!this.held) return null;
    const { holder, since } = this.held;
    return `${typeof holder === "function" ? holder() : holder} since ${new Date(since).toISOString()}`;
  }

  /**
   * Takes the lock for `holder`, or throws 409 `busy` naming the current holder. Returns the
   * release function: calling it more than once, or after someone else took the lock, does nothing.
   */
  tryAcquire(holder: Holder): () => void {
    const current = this.holder;
    if (current !== null) {
      throw new AppError("busy", `Cluster "${this.clusterId}" is busy: ${current}. Try again when it is done.`);
    }
    const token = Symbol("lease");
    this.held = { holder, since: Date.now(), token };
    return () => {
      if (this.held?.token === token) this.held = null;
    };
  }

  /** Runs `fn` holding the lock, and releases it however `fn` ends. */
  async run<T>(holder: Holder, fn: () => Promise<T> | T): Promise<T> {
    const release = this.tryAcquire(holder);
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
