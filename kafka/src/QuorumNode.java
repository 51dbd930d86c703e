import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of every Kafka node that Quorum starts. It runs kafka.Kafka unchanged, plus one
 * watchdog (QuorumChild.watchParent): the parent (the Quorum server) holds this process's stdin
 * open, so end-of-file on stdin means the parent is gone. The node then shuts down as on SIGTERM
 * (controlled shutdown) and, should that hang, halts after a grace period. A Quorum server that is
 * SIGKILLed or crashes therefore never leaves a Kafka JVM behind.
 *
 * A controller is given its brokers' addresses (-Dquorum.awaitClosed=host:port,...): it waits,
 * at most until the brokers' own halt would have ended them, for those ports to close before it
 * shuts down, so that brokers finish their controlled shutdown while a controller still answers.
 */
public final class QuorumNode {
    private static final long HALT_AFTER_MS = Long.getLong("quorum.haltAfterMs", 20_000L);
    private static final long AWAIT_MS = Long.getLong("quorum.awaitMs", HALT_AFTER_MS + 5_000L);

    private QuorumNode() {}

    public static void main(String[] args) throws Exception {
        List<InetSocketAddress> await = parseAddresses(System.getProperty("quorum.awaitClosed", ""));
        QuorumChild.watchParent("this node", () -> awaitClosed(await));
        kafka.Kafka.main(args);
    }

    /** Waits (at most AWAIT_MS) until nothing listens on any of `addresses`. */
    private static void awaitClosed(List<InetSocketAddress> addresses) {
        if (addresses.isEmpty()) return;
        System.err.println("[quorum] parent process is gone: waiting for the brokers to stop first");
        long deadline = System.currentTimeMillis() + AWAIT_MS;
        while (System.currentTimeMillis() < deadline && anyOpen(addresses)) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static List<InetSocketAddress> parseAddresses(String list) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String item : list.split(",")) {
            int colon = item.lastIndexOf(':');
            if (colon <= 0) continue;
            try {
                out.add(new InetSocketAddress(item.substring(0, colon).trim(), Integer.parseInt(item.substring(colon + 1).trim())));
            } catch (IllegalArgumentException ignored) {
                // Not an address: nothing to wait for.
            }
        }
        return out;
    }

    private static boolean anyOpen(List<InetSocketAddress> addresses) {
        for (InetSocketAddress address : addresses) {
            try (Socket socket = new Socket()) {
                socket.connect(address, 200);
                return true;
            } catch (IOException closed) {
                // Nothing listens there any more.
            }
        }
        return false;
    }
}
