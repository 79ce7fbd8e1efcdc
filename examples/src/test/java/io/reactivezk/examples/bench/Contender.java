package io.reactivezk.examples.bench;

/**
 * One client under test. {@link #issue} starts one asynchronous operation and returns at once; the client calls
 * {@link Window#completed(int)} (or {@link Window#failed(int, Throwable)}) when it is done, on whatever thread it
 * completes on. A contender owns its own ZooKeeper session.
 */
interface Contender extends AutoCloseable {

    String name();

    void issue(Operation op, String path, byte[] payload, Window window, int index);

    @Override
    void close() throws Exception;
}
