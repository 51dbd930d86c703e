import "server-only";
import { type HasHttpError, HTTP_ERROR, type HttpErrorInfo } from "../errors";

/** Kafka protocol error codes Quorum meets, by number: name and the HTTP status a caller gets. */
const CODES: Record<number, [name: string, status: number]> = {
  1: ["OFFSET_OUT_OF_RANGE", 400],
  2: ["CORRUPT_MESSAGE", 500],
  3: ["UNKNOWN_TOPIC_OR_PARTITION", 404],
  5: ["LEADER_NOT_AVAILABLE", 503],
  6: ["NOT_LEADER_OR_FOLLOWER", 503],
  7: ["REQUEST_TIMED_OUT", 503],
  9: ["REPLICA_NOT_AVAILABLE", 503],
  14: ["COORDINATOR_LOAD_IN_PROGRESS", 503],
  15: ["COORDINATOR_NOT_AVAILABLE", 503],
  16: ["NOT_COORDINATOR", 503],
  17: ["INVALID_TOPIC_EXCEPTION", 400],
  19: ["NOT_ENOUGH_REPLICAS", 409],
  22: ["ILLEGAL_GENERATION", 409],
  25: ["UNKNOWN_MEMBER_ID", 409],
  27: ["REBALANCE_IN_PROGRESS", 409],
  29: ["TOPIC_AUTHORIZATION_FAILED", 403],
  30: ["GROUP_AUTHORIZATION_FAILED", 403],
  31: ["CLUSTER_AUTHORIZATION_FAILED", 403],
  35: ["UNSUPPORTED_VERSION", 501],
  36: ["TOPIC_ALREADY_EXISTS", 409],
  37: ["INVALID_PARTITIONS", 400],
  38: ["INVALID_REPLICATION_FACTOR", 400],
  39: ["INVALID_REPLICA_ASSIGNMENT", 400],
  40: ["INVALID_CONFIG", 400],
  41: ["NOT_CONTROLLER", 503],
  42: ["INVALID_REQUEST", 400],
  44: ["POLICY_VIOLATION", 400],
  68: ["NON_EMPTY_GROUP", 409],
  69: ["GROUP_ID_NOT_FOUND", 404],
  73: ["TOPIC_DELETION_DISABLED", 409],
  74: ["FENCED_LEADER_EPOCH", 503],
  75: ["UNKNOWN_LEADER_EPOCH", 503],
  78: ["OFFSET_NOT_AVAILABLE", 503],
  80: ["PREFERRED_LEADER_NOT_AVAILABLE", 409],
  83: ["ELIGIBLE_LEADERS_NOT_AVAILABLE", 409],
  84: ["ELECTION_NOT_NEEDED", 200],
  85: ["NO_REASSIGNMENT_IN_PROGRESS", 409],
  86: ["GROUP_SUBSCRIBED_TO_TOPIC", 409],
  89: ["THROTTLING_QUOTA_EXCEEDED", 429],
};

export const KafkaCode = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  TOPIC_ALREADY_EXISTS: 36,
  PREFERRED_LEADER_NOT_AVAILABLE: 80,
  ELECTION_NOT_NEEDED: 84,
  NO_REASSIGNMENT_IN_PROGRESS: 85,
} as const;

export function kafkaErrorName(code: number): string {
  return CODES[code]?.[0] ?? `KAFKA_ERROR_${code}`;
}

/** A request Kafka refused, with the broker's own words when it gave any. */
export class KafkaError extends Error implements HasHttpError {
  readonly status: number;
  readonly type: string;

  constructor(
    readonly errorCode: number,
    brokerMessage: string | null,
    readonly subject?: string,
  ) {
    const type = kafkaErrorName(errorCode);
    super(brokerMessage?.trim() ? brokerMessage : `${subject ? `${subject}: ` : ""}Kafka refused with ${type}`);
    this.name = "KafkaError";
    this.type = type;
    this.status = CODES[errorCode]?.[1] ?? 502;
  }

  [HTTP_ERROR](): HttpErrorInfo {
    return { status: this.status, code: this.type.toLowerCase(), message: this.message };
  }
}
