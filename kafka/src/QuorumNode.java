import java.io.IOException;

/**
 * Entry point of every Kafka node that Quorum starts. It runs kafka.Kafka unchanged, plus one
 * watchdog: the parent (the Quorum server) holds this process's stdin open, so end-of-file on
 * stdin means the parent is gone. The node then shuts down as on SIGTERM (controlled shutdown)
 * and, should that hang, halts after a grace period. A Quorum server that is SIGKILLed or crashes
 * therefore never leaves a Kafka JVM behind.
 */
public final class QuorumNode {
    private static final long HALT_AFTER_MS = Long.getLong("quorum.haltAfterMs", 20_000L);

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
}
