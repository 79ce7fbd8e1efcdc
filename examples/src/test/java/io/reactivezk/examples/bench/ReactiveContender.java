package io.reactivezk.examples.bench;

import io.reactivezk.CreateOptions;
import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperOptions;
import io.reactivezk.ZooKeeperService;
import java.time.Duration;
import java.util.Map;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * reactive-zk used as the docs show it: a container with the default options (operation timeout, retries, waiting for
 * CONNECTED), paths relative to its root, and a subscriber per operation.
 */
final class ReactiveContender implements Contender {

    private final ZooKeeperService service;
    private final ZooKeeperContainer zk;

    private final String name;

    ReactiveContender(String connectString) {
        this(connectString, "reactive-zk", ZooKeeperOptions.defaults());
    }

    /**
     * reactive-zk with other options, such as Micrometer metrics, under its own name.
     *
     * @param connectString the servers
     * @param name the contender's name in the results
     * @param options the options
     */
    ReactiveContender(String connectString, String name, ZooKeeperOptions options) {
        this.name = name;
        service = ZooKeeperService.create(ZooKeeperConfig.empty().withEnvironment(Map.of()), options);
        // The root is "/": the benchmark's paths are absolute, as for the other contenders.
        zk = service.container("zookeeper://" + connectString + "/");
        zk.connected(Duration.ofSeconds(30)).block();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void issue(Operation op, String path, byte[] payload, Window window, int index) {
        Mono<?> call = switch (op) {
            case GET_DATA -> zk.getRawData(path);
            case GET_CHILDREN -> zk.getChildren(path);
            case EXISTS -> zk.exists(path);
            case CREATE -> zk.create(path, payload, CreateOptions.persistent());
            case SET_DATA -> zk.setData(path, payload);
        };
        call.subscribe(new Done(window, index));
    }

    /** The subscriber a user would write: request everything, note the end. */
    private static final class Done implements CoreSubscriber<Object> {
        private final Window window;
        private final int index;

        Done(Window window, int index) {
            this.window = window;
            this.index = index;
        }

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Object value) {}

        @Override
        public void onError(Throwable error) {
            window.failed(index, error);
        }

        @Override
        public void onComplete() {
            window.completed(index);
        }
    }

    @Override
    public void close() {
        service.close();
    }
}
