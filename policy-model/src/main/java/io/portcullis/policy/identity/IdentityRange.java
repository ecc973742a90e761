package io.portcullis.policy.identity;

/**
 * An inclusive range of numeric identities {@code [first, last]} that one allocator hands out.
 *
 * <p><b>Partitioning.</b> {@link #partition(int, int)} cuts a range into {@code count} contiguous,
 * disjoint slices of equal size (the last slice also takes the remainder). Each identity-service replica
 * allocates only from its own slice, so two replicas can never hand out the same number, without any
 * coordination between them. The price: a replica whose slice is full cannot borrow from another.
 */
public record IdentityRange(long first, long last) {

    public IdentityRange {
        if (first <= 0 || last < first) {
            throw new IllegalArgumentException("bad identity range [" + first + ", " + last + "]");
        }
    }

    public long size() {
        return last - first + 1;
    }

    public boolean contains(long id) {
        return id >= first && id <= last;
    }

    /** Slice {@code index} of {@code count} equal slices (0-based). */
    public IdentityRange partition(int index, int count) {
        if (count <= 0 || index < 0 || index >= count) {
            throw new IllegalArgumentException("partition " + index + " of " + count);
        }
        long slice = size() / count;
        if (slice == 0) {
            throw new IllegalArgumentException(count + " partitions do not fit in " + this);
        }
        long start = first + index * slice;
        long end = index == count - 1 ? last : start + slice - 1;
        return new IdentityRange(start, end);
    }

    /** The global range of a cluster ({@link NumericIdentity#minAllocation}..{@link NumericIdentity#maxAllocation}). */
    public static IdentityRange cluster(long clusterId, int maxConnectedClusters) {
        return new IdentityRange(NumericIdentity.minAllocation(clusterId, maxConnectedClusters),
                NumericIdentity.maxAllocation(clusterId, maxConnectedClusters));
    }

    /** The local scope: {@code 0x01000001}–{@code 0x01FFFFFF}. */
    public static IdentityRange localScope() {
        return new IdentityRange(NumericIdentity.MIN_LOCAL, NumericIdentity.MAX_LOCAL);
    }

    @Override
    public String toString() {
        return "[" + first + ", " + last + "]";
    }
}
