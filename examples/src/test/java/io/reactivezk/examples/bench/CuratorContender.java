package io.reactivezk.examples.bench;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.x.async.AsyncCuratorFramework;

/** Apache Curator's asynchronous API ({@code curator-x-async}) with its usual retry policy. */
final class CuratorContender implements Contender {

    private final CuratorFramework client;
    private final AsyncCuratorFramework async;

    CuratorContender(String connectString) throws InterruptedException {
        client = CuratorFrameworkFactory.newClient(connectString, 30_000, 15_000, new ExponentialBackoffRetry(50, 3));
        client.start();
        if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Curator: no connection to " + connectString);
        }
        async = AsyncCuratorFramework.wrap(client);
    }

    @Override
    public String name() {
        return "Curator async";
    }

    @Override
    public void issue(Operation op, String path, byte[] payload, Window window, int index) {
        CompletionStage<?> call = switch (op) {
            case GET_DATA -> async.getData().forPath(path);
            case GET_CHILDREN -> async.getChildren().forPath(path);
            case EXISTS -> async.checkExists().forPath(path);
            case CREATE -> async.create().forPath(path, payload);
            case SET_DATA -> async.setData().forPath(path, payload);
        };
        call.whenComplete((value, error) -> {
            if (error == null) {
                window.completed(index);
            } else {
                window.failed(index, error);
            }
        });
    }

    @Override
    public void close() {
        client.close();
    }
}
