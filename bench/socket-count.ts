// Counts this process's outgoing TCP connections per remote port (one port per broker), through
// Node's "net.client.socket" diagnostics channel: every socket any client opens, whatever opens it.
import dc from "node:diagnostics_channel";
import type net from "node:net";

export interface SocketCounts {
  /** Connections opened per remote port since `reset`. */
  opened: Map<number, number>;
  /** Most connections open at once per remote port since `reset`. */
  maxOpen: Map<number, number>;
}

const open = new Map<number, number>();
let counts: SocketCounts = { opened: new Map(), maxOpen: new Map() };
let watching: Set<number> | null = null;

dc.subscribe("net.client.socket", (message) => {
  const socket = (message as { socket: net.Socket }).socket;
  socket.once("connect", () => {
    // Open sockets are tracked from the start (the lab's probes connect before counting begins).
    const port = socket.remotePort ?? 0;
    const now = (open.get(port) ?? 0) + 1;
    open.set(port, now);
    socket.once("close", () => open.set(port, (open.get(port) ?? 1) - 1));
    if (!watching?.has(port)) return;
    counts.opened.set(port, (counts.opened.get(port) ?? 0) + 1);
    counts.maxOpen.set(port, Math.max(counts.maxOpen.get(port) ?? 0, now));
  });
});

/** Starts counting connections to `ports` afresh (connections already open still count as open). */
export function resetSocketCounts(ports: number[]): void {
  watching = new Set(ports);
  counts = { opened: new Map(), maxOpen: new Map([...open.entries()].filter(([p]) => watching?.has(p))) };
}

export function socketCounts(): SocketCounts {
  return counts;
}

/** "19092: 3, 29092: 2" in port order. */
export function perPort(m: Map<number, number>, ports: number[]): string {
  return ports.map((p) => `${p}: ${m.get(p) ?? 0}`).join(", ");
}
