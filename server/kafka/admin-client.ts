import "server-only";
import { type Admin, Kafka, logLevel } from "kafkajs";
import { AppError } from "../errors";

/**
 * One kafkajs admin client per cluster, connected on first use. Every call is bounded by a
 * timeout; after a failure the client is dropped and the next call connects afresh, so a cluster
 * that went away and came back is reached again.
 */
export class AdminClient {
  private admin: Promise<Admin> | null = null;

  constructor(
    private readonly bootstrap: () => string[],
    private readonly timeoutMs: number,
  ) {}

  private connect(): Promise<Admin> {
    this.admin ??= (async () => {
      const kafka = new Kafka({
        clientId: "quorum",
        brokers: this.bootstrap(),
        connectionTimeout: 1500,
        requestTimeout: this.timeoutMs,
        retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      await admin.connect();
      return admin;
    })();
    return this.admin;
  }

  async use<T>(what: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AppError("kafka_timeout", `Kafka did not answer ${what} within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([this.connect().then(fn), timeout]);
    } catch (err) {
      if (isConnectionTrouble(err)) this.reset();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  reset(): void {
    const old = this.admin;
    this.admin = null;
    old?.then((a) => a.disconnect()).catch(() => {});
  }
}

function isConnectionTrouble(err: unknown): boolean {
  if (err instanceof AppError) return err.code === "kafka_timeout";
  const name = err instanceof Error ? err.name : "";
  return /Connection|Timeout|NumberOfRetriesExceeded|BrokerNotFound|NotImplemented/.test(name);
}
