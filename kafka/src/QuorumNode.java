import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of every Kafka node that Quorum starts. It runs kafka.Kafka unchanged, plus one
 * watchdog: the parent (the Quorum server) holds this process's stdin open, so end-of-file on
 * stdin means the parent is gone. The node then shuts down as on SIGTERM (controlled shutdown)
 * and, should that hang, halts after a grace period. A Quorum server that is SIGKILLed or crashes
 * therefore never leaves a Kafka JVM behind.
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
        Thread watch = new Thread(QuorumNode::watchParent, "quorum-parent-watch");
        watch.setDaemon(true);
        watch.start();
        kafka.Kafka.main(args);
    }

    private static void watchParent() {
        try {
            while (System.in.read() != -1) {
                // The parent never writes; any byte is ignored.
            }
        } catch (IOException ignored) {
            // A broken pipe means the same as end-of-file.
        }
        List<InetSocketAddress> await = parseAddresses(System.getProperty("quorum.awaitClosed", ""));
        if (!await.isEmpty()) {
            System.err.println("[quorum] parent process is gone: waiting for the brokers to stop first");
            long deadline = System.currentTimeMillis() + AWAIT_MS;
            while (System.currentTimeMillis() < deadline && anyOpen(await)) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
        System.err.println("[quorum] parent process is gone: shutting this node down");
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MS);
            } catch (InterruptedException ignored) {
                return;
            }
            System.err.println("[quorum] shutdown did not finish in time: halting");
            Runtime.getRuntime().halt(1);
        }, "quorum-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(0);
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
