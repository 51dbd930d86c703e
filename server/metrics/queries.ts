import "server-only";
import type { BrokerMetricsHistory, ChartMarker, ClusterEvent, HealthPoint, NodeMetricPoint } from "@/lib/types";
import type { HistoryStore, NodeMetricsRow } from "../history/history-store";
import { MAX_POINTS } from "../history/runs";
import { GAP_FACTOR } from "../history/series";
import { NO_VALUES, NODE_METRIC_KEYS } from "./node-values";

type Row = NodeMetricsRow & { ts: number };

/** Counts that a bucket must not hide: their largest value per bucket; every other value is averaged. */
const PEAK_KEYS = new Set(["underReplicated", "offlineReplicas", "offlinePartitions", "activeController"]);

/**
 * Rows merged into time buckets when a range holds more than `maxPoints` samples of a node: each
 * value averaged over the bucket (counts: their largest), at the bucket's last sample time. A
 * bucket never spans a gap (rows further apart than `gapMs` start a new one).
 */
function bucketed(rows: Row[], since: number, now: number, gapMs: number, maxPoints: number): Sampled[] {
  if (rows.length <= maxPoints)
    return rows.map((row, i) => ({ row, gapBefore: i > 0 && row.ts - (rows[i - 1]?.ts ?? 0) > gapMs }));
  const width = Math.ceil((now - since) / maxPoints);
  const out: Sampled[] = [];
  let group: Row[] = [];
  let gapBefore = false;
  const flush = () => {
    const last = group[group.length - 1];
    if (!last) return;
    const values = { ...NO_VALUES };
    for (const k of NODE_METRIC_KEYS) {
      const known = group.map((r) => r.values[k]).filter((v): v is number => v !== null);
      if (known.length === 0) continue;
      values[k] = PEAK_KEYS.has(k) ? Math.max(...known) : known.reduce((a, b) => a + b, 0) / known.length;
    }
    out.push({ row: { ...last, values }, gapBefore });
    group = [];
  };
  let prev: Row | undefined;
  for (const r of rows) {
    const first = group[0];
    const gap = prev !== undefined && r.ts - prev.ts > gapMs;
    if (first && (gap || Math.floor((r.ts - since) / width) !== Math.floor((first.ts - since) / width))) {
      flush();
      gapBefore = gap;
    }
    group.push(r);
    prev = r;
  }
  flush();
  return out;
}

/** A sample (or a bucket of them) and whether samples were missing just before it. */
interface Sampled {
  row: Row;
  gapBefore: boolean;
}

/** A node's points: its samples, with a blank point wherever no sample was taken for longer than `gapMs`. */
function pointsOf(rows: Sampled[], rounds: number[], sampleMs: number, gapMs: number, now: number): NodeMetricPoint[] {
  /** The first round after `ts` that other nodes answered, so the blank lines up with their points. */
  const nextRound = (ts: number) => rounds.find((r) => r > ts);
  const out: NodeMetricPoint[] = [];
  let prev: Row | undefined;
  for (const { row: r, gapBefore } of rows) {
    if (prev && gapBefore) {
      const missed = nextRound(prev.ts);
      out.push({ ts: missed !== undefined && missed < r.ts ? missed : prev.ts + sampleMs, ...NO_VALUES });
    }
    out.push({ ts: r.ts, ...r.values });
    prev = r;
  }
  if (prev && now - prev.ts > gapMs) {
    const missed = nextRound(prev.ts);
    // Others answered since: the line ends at the first round it missed. Nobody did: a blank until now.
    if (missed !== undefined) out.push({ ts: missed, ...NO_VALUES });
    else out.push({ ts: Math.min(now, prev.ts + sampleMs), ...NO_VALUES }, { ts: now, ...NO_VALUES });
  }
  return out;
}

const sumOrNull = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
};

/**
 * The Health panel: per sampling round, sums over the brokers that answered (under-replicated
 * partitions are counted by each partition's leader, so the sum counts each once), the largest
 * offline-partition count any controller reports, and the number of active controllers. A round in
 * which no node answered is a blank; one with fewer brokers than `expected` says so (`reporting`).
 */
function healthOf(rows: Row[], sampleMs: number, gapMs: number, now: number): HealthPoint[] {
  const rounds = new Map<number, Row[]>();
  for (const r of rows) {
    const list = rounds.get(r.ts);
    if (list) list.push(r);
    else rounds.set(r.ts, [r]);
  }
  const blank = (ts: number): HealthPoint => ({
    ts,
    underReplicated: null,
    offlinePartitions: null,
    activeControllers: null,
    bytesIn: null,
    bytesOut: null,
    isrShrinks: null,
    isrExpands: null,
    reporting: null,
  });
  const out: HealthPoint[] = [];
  let prevTs: number | undefined;
  for (const [ts, list] of rounds) {
    if (prevTs !== undefined && ts - prevTs > gapMs) out.push(blank(prevTs + sampleMs));
    const brokers = list.filter((r) => r.role === "broker");
    const controllers = list.filter((r) => r.role === "controller");
    const offline = controllers.map((r) => r.values.offlinePartitions).filter((v): v is number => v !== null);
    out.push({
      ts,
      underReplicated: sumOrNull(brokers.map((r) => r.values.underReplicated)),
      offlinePartitions: offline.length ? Math.max(...offline) : null,
      activeControllers: sumOrNull(list.map((r) => r.values.activeController)),
      bytesIn: sumOrNull(brokers.map((r) => r.values.bytesIn)),
      bytesOut: sumOrNull(brokers.map((r) => r.values.bytesOut)),
      isrShrinks: sumOrNull(brokers.map((r) => r.values.isrShrinks)),
      isrExpands: sumOrNull(brokers.map((r) => r.values.isrExpands)),
      reporting: brokers.length,
    });
    prevTs = ts;
  }
  if (prevTs !== undefined && now - prevTs > gapMs) out.push(blank(now));
  return out;
}

const mean = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
};
const peak = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.max(...known);
};

/**
 * Health points merged into time buckets past `maxPoints`: the partition counts and active
 * controllers as their largest value in the bucket, traffic and ISR changes averaged, `reporting`
 * as its smallest (a partial round stays visible). A blank point is kept and ends a bucket.
 */
function bucketedHealth(points: HealthPoint[], since: number, now: number, maxPoints: number): HealthPoint[] {
  if (points.length <= maxPoints) return points;
  const width = Math.ceil((now - since) / maxPoints);
  const out: HealthPoint[] = [];
  let group: HealthPoint[] = [];
  const flush = () => {
    const last = group[group.length - 1];
    if (!last) return;
    const reporting = group.map((p) => p.reporting).filter((v): v is number => v !== null);
    out.push({
      ts: last.ts,
      underReplicated: peak(group.map((p) => p.underReplicated)),
      offlinePartitions: peak(group.map((p) => p.offlinePartitions)),
      activeControllers: peak(group.map((p) => p.activeControllers)),
      bytesIn: mean(group.map((p) => p.bytesIn)),
      bytesOut: mean(group.map((p) => p.bytesOut)),
      isrShrinks: mean(group.map((p) => p.isrShrinks)),
      isrExpands: mean(group.map((p) => p.isrExpands)),
      reporting: reporting.length ? Math.min(...reporting) : null,
    });
    group = [];
  };
  const bucket = (ts: number) => Math.floor((ts - since) / width);
  for (const p of points) {
    if (p.reporting === null) {
      flush();
      out.push(p);
      continue;
    }
    const first = group[0];
    if (first && bucket(p.ts) !== bucket(first.ts)) flush();
    group.push(p);
  }
  flush();
  return out;
}

/**
 * The moments drawn on the charts, from the cluster's recent events: brokers stopping and starting,
 * the controller changing, the quorum lost and regained, and partition leaders moving (one marker
 * per second in which any moved, with how many).
 */
export function chartMarkers(events: ClusterEvent[], since: number): ChartMarker[] {
  const out: ChartMarker[] = [];
  const moved = new Map<number, { ts: number; n: number }>();
  for (const e of events) {
    if (e.ts < since) continue;
    switch (e.type) {
      case "broker-down":
      case "broker-up":
        out.push({
          ts: e.ts,
          kind: e.type,
          broker: e.broker,
          label: `broker ${e.broker} ${e.type === "broker-down" ? "down" : "up"}`,
        });
        break;
      case "controller-changed":
        out.push({
          ts: e.ts,
          kind: e.type,
          broker: null,
          controller: e.to ?? null,
          label: `controller ${e.to ?? "none"}`,
        });
        break;
      case "quorum-lost":
      case "quorum-regained":
        out.push({
          ts: e.ts,
          kind: e.type,
          broker: null,
          label: e.type === "quorum-lost" ? "quorum lost" : "quorum regained",
        });
        break;
      case "leader-changed": {
        const second = Math.floor(e.ts / 1000);
        const m = moved.get(second);
        if (m) m.n++;
        else moved.set(second, { ts: e.ts, n: 1 });
        break;
      }
      default:
        break;
    }
  }
  for (const { ts, n } of moved.values()) {
    out.push({ ts, kind: "leaders-moved", broker: null, count: n, label: `${n} leader${n === 1 ? "" : "s"} moved` });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

/** GET /api/clusters/:c/broker-metrics: each node's chart and the Health panel over the last `minutes`. */
export function brokerMetricsHistory(
  store: HistoryStore,
  cluster: string,
  opts: {
    minutes: number;
    sampleMs: number;
    enabled: boolean;
    /** Brokers the cluster has (the Health panel's `expected`). */
    brokers: number;
    events: ClusterEvent[];
    now?: number;
    maxPoints?: number;
  },
): BrokerMetricsHistory {
  const now = opts.now ?? Date.now();
  const since = now - opts.minutes * 60_000;
  const gapMs = opts.sampleMs * GAP_FACTOR;
  const maxPoints = opts.maxPoints ?? MAX_POINTS;
  const rows = store.nodeMetricsSince(cluster, since);
  const byNode = new Map<number, Row[]>();
  for (const r of rows) {
    const list = byNode.get(r.node);
    if (list) list.push(r);
    else byNode.set(r.node, [r]);
  }
  const sampled = [...byNode.entries()]
    .sort(([a], [b]) => a - b)
    .map(([id, list]) => ({ id, list, shown: bucketed(list, since, now, gapMs, maxPoints) }));
  // Every node's point times: a node's blank goes at one of them, so the other lines do not break there.
  const rounds = [...new Set(sampled.flatMap((n) => n.shown.map((x) => x.row.ts)))].sort((a, b) => a - b);
  const nodes = sampled.map(({ id, list, shown }) => ({
    id,
    role: list[list.length - 1]?.role ?? ("broker" as const),
    points: pointsOf(shown, rounds, opts.sampleMs, gapMs, now),
  }));
  return {
    enabled: opts.enabled,
    sampleMs: opts.sampleMs,
    since,
    now,
    nodes,
    health: {
      expected: opts.brokers,
      points: bucketedHealth(healthOf(rows, opts.sampleMs, gapMs, now), since, now, maxPoints),
    },
    markers: chartMarkers(opts.events, since),
  };
}
