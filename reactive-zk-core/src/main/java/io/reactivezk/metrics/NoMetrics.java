package io.reactivezk.metrics;

/** {@link ZooKeeperMetrics#none()}. */
final class NoMetrics implements ZooKeeperMetrics, ContainerMetrics {

    static final NoMetrics INSTANCE = new NoMetrics();

    private NoMetrics() {}

    @Override
    public ContainerMetrics container(String container, ContainerGauges gauges) {
        return this;
    }

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public void operation(String operation, long nanos, Outcome outcome) {}

    @Override
    public void retry(String operation) {}

    @Override
    public void connectionLoss() {}

    @Override
    public void sessionExpiry() {}

    @Override
    public void readvertisement() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
        return "ZooKeeperMetrics.none()";
    }
}
