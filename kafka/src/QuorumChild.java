import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs any Kafka tool's main class (e.g. org.apache.kafka.tools.consumer.ConsoleConsumer) as a
 * child of Quorum, with the same watchdog as the nodes: the parent holds this process's stdin open,
 * so end-of-file on stdin means the parent is gone, and the tool exits (halted after a grace period
 * should its shutdown hooks hang). A Quorum server that is SIGKILLed or crashes therefore never
 * leaves a tool's JVM behind.
 *
 * Usage: java -cp classes:libs/* QuorumChild <main class> [its arguments…]
 */
public final class QuorumChild {
    private static final long HALT_AFTER_MS = Long.getLong("quorum.haltAfterMs", 20_000L);

    private QuorumChild() {}

    public static void main(String[] args) throws Throwable {
        if (args.length < 1) {
            System.err.println("usage: QuorumChild <main class> [arguments…]");
            System.exit(2);
        }
        watchParent("this process");
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Starts the watchdog thread: when stdin closes, exits as on SIGTERM, and halts if that hangs. */
    public static void watchParent(String what) {
        watchParent(what, () -> {});
    }

    /** The same, running `beforeExit` (e.g. waiting for other nodes) once the parent is gone. */
    public static void watchParent(String what, Runnable beforeExit) {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // The parent never writes; any byte is ignored.
                }
            } catch (IOException ignored) {
                // A broken pipe means the same as end-of-file.
            }
            beforeExit.run();
            System.err.println("[quorum] parent process is gone: shutting " + what + " down");
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
        }, "quorum-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
