package io.reactivezk.recipe;

import java.util.AbstractList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The advertised instances at one moment, in node-name order: a list, and whether it may be out of date.
 *
 * <p>{@link #stale()} is true while the container is not connected (the list is the last one known: ASAB's discovery
 * empties its cache instead) or after a read failed; it turns false with the next complete reading.
 * {@link #skipped()} names advertisements that are not JSON objects, left out with a warning (ASAB's rescan fails for
 * all of them).
 */
public final class ServiceInstances extends AbstractList<ServiceInstance> {

    private final List<ServiceInstance> instances;
    private final boolean stale;
    private final List<String> skipped;

    ServiceInstances(List<ServiceInstance> instances, boolean stale, List<String> skipped) {
        this.instances = List.copyOf(instances);
        this.stale = stale;
        this.skipped = List.copyOf(skipped);
    }

    /**
     * An instance.
     *
     * @param index its position, in node-name order
     * @return the instance
     */
    @Override
    public ServiceInstance get(int index) {
        return instances.get(index);
    }

    /**
     * How many instances there are.
     *
     * @return the count
     */
    @Override
    public int size() {
        return instances.size();
    }

    /**
     * Whether the list may be out of date.
     *
     * @return true while disconnected or after a failed read, until the next complete reading
     */
    public boolean stale() {
        return stale;
    }

    /**
     * The advertisement nodes left out because they are not JSON objects.
     *
     * @return node names
     */
    public List<String> skipped() {
        return skipped;
    }

    /**
     * The instances of one application class.
     *
     * @param appclass the application class
     * @return those instances, with the same staleness
     */
    public ServiceInstances ofClass(String appclass) {
        return new ServiceInstances(
                instances.stream().filter(i -> i.appclass().equals(appclass)).toList(), stale, skipped);
    }

    /**
     * ASAB's {@code locate(idType=id)}: the URLs of every instance that has the id.
     *
     * @param idType {@code instance_id}, {@code service_id} or a {@code discovery} type
     * @param id the id
     * @return the URLs, without duplicates
     */
    public Set<String> locate(String idType, String id) {
        Set<String> urls = new LinkedHashSet<>();
        for (ServiceInstance instance : instances) {
            if (instance.ids().getOrDefault(idType, Set.of()).contains(id)) {
                urls.addAll(instance.urls());
            }
        }
        return urls;
    }

    /**
     * Two lists of instances are equal when they hold equal instances in the same order; two
     * {@code ServiceInstances} must also agree on staleness and on the skipped nodes.
     *
     * @param other the object to compare with
     * @return whether it is equal
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof ServiceInstances that
                ? stale == that.stale && instances.equals(that.instances) && skipped.equals(that.skipped)
                : super.equals(other);
    }

    /**
     * The list's hash code.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return super.hashCode();
    }

    /**
     * The node names, with the staleness and the skipped nodes.
     *
     * @return a compact description
     */
    @Override
    public String toString() {
        return (stale ? "stale " : "")
                + instances.stream().map(ServiceInstance::node).toList()
                + (skipped.isEmpty() ? "" : " skipped " + skipped);
    }
}
