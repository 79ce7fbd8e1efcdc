package io.reactivezk;

import org.apache.zookeeper.data.Stat;

/** Copies of ZooKeeper's mutable {@link Stat}, so that no record of the API shares one. */
final class Stats {

    private Stats() {}

    static Stat copy(Stat stat) {
        return new Stat(
                stat.getCzxid(),
                stat.getMzxid(),
                stat.getCtime(),
                stat.getMtime(),
                stat.getVersion(),
                stat.getCversion(),
                stat.getAversion(),
                stat.getEphemeralOwner(),
                stat.getDataLength(),
                stat.getNumChildren(),
                stat.getPzxid());
    }
}
