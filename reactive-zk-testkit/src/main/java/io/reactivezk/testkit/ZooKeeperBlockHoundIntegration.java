package io.reactivezk.testkit;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Teaches BlockHound that ZooKeeper's client event thread must never block.
 *
 * <p>Every watcher and asynchronous callback of a ZooKeeper client runs on its {@code *-EventThread}; a callback that
 * blocks there stalls every other notification of that client. This integration, found by {@link java.util.ServiceLoader}
 * when BlockHound is installed, marks those threads as non-blocking, then allows exactly what ZooKeeper itself does
 * between events:
 *
 * <ul>
 *   <li>the event loop's wait for the next event ({@code EventThread.run}), while the processing of each event
 *       ({@code EventThread.processEvent}, which calls user code) stays guarded;
 *   <li>the short lock on the client's outgoing queue when a callback issues another asynchronous call
 *       ({@code ClientCnxn.queuePacket});
 *   <li>TLS set-up on Netty's event loops, which Netty's own BlockHound integration marks as non-blocking: ZooKeeper
 *       reads the key and trust store files there, once per client handle ({@code ClientCnxnSocketNetty}) and once
 *       per connection on the server ({@code NettyServerCnxnFactory.initSSL}). That is ZooKeeper's design, not a
 *       call this library makes.
 * </ul>
 *
 * <p>Test logging backends write to the console from whatever thread logs; that I/O is allowed too, so that a library
 * log line is not mistaken for a blocking call.
 */
public final class ZooKeeperBlockHoundIntegration implements BlockHoundIntegration {

    /** Creates the integration; called by {@link java.util.ServiceLoader}. */
    public ZooKeeperBlockHoundIntegration() {}

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.nonBlockingThreadPredicate(current -> current.or(ZooKeeperBlockHoundIntegration::isEventThread));
        builder.allowBlockingCallsInside("org.apache.zookeeper.ClientCnxn$EventThread", "run");
        builder.disallowBlockingCallsInside("org.apache.zookeeper.ClientCnxn$EventThread", "processEvent");
        builder.allowBlockingCallsInside("org.apache.zookeeper.ClientCnxn", "queuePacket");
        builder.allowBlockingCallsInside(
                "org.apache.zookeeper.ClientCnxnSocketNetty$ZKClientPipelineFactory", "initSSL");
        builder.allowBlockingCallsInside("org.apache.zookeeper.server.NettyServerCnxnFactory", "initSSL");
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend");
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes");
    }

    /**
     * Whether a thread is a ZooKeeper client's event thread (named {@code <creator>-EventThread} by ZooKeeper).
     *
     * @param thread any thread
     * @return {@code true} for ZooKeeper event threads
     */
    public static boolean isEventThread(Thread thread) {
        return thread.getName().endsWith("-EventThread");
    }
}
