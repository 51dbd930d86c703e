/**
 * Entry point of every Kafka node that Quorum starts. It runs kafka.Kafka unchanged, plus one
 * watchdog (QuorumChild.watchParent): the parent (the Quorum server) holds this process's stdin
 * open, so end-of-file on stdin means the parent is gone. The node then shuts down as on SIGTERM
 * (controlled shutdown) and, should that hang, halts after a grace period. A Quorum server that is
 * SIGKILLed or crashes therefore never leaves a Kafka JVM behind.
 */
public final class QuorumNode {
    private QuorumNode() {}

    public static void main(String[] args) throws Exception {
        QuorumChild.watchParent("this node");
        kafka.Kafka.main(args);
    }
}
