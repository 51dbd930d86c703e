import "server-only";
import pino from "pino";

/** The server's one logger: JSON lines on stdout, level from QUORUM_LOG_LEVEL (default info). */
export const logger = pino({
  name: "quorum",
  level: process.env.QUORUM_LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: undefined,
});

export type Logger = typeof logger;
