package dev.nines.server.store;

/**
 * What one rollup pass did.
 *
 * @param minuteBuckets 1-minute buckets recomputed from raw samples
 * @param hourBuckets 1-hour buckets recomputed from 1-minute rollups
 * @param dropped changed buckets left alone because their source data is past retention
 * @param more true when complete changed buckets remain (the pass hit its limit)
 */
public record RollupRun(int minuteBuckets, int hourBuckets, int dropped, boolean more) {}
