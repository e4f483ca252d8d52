package dev.egress.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The storage one workspace's platform code may reach, matched against the positions {@link
 * StorageHosts#parse} found in a host name, so that an allowed storage connect allocates nothing.
 * Azure matches on account (and service when the policy names one), S3 and GCS on bucket (and
 * region when both sides name one). A path-style host carries no bucket: it is allowed at host
 * level when any bucket of that provider (and region) is allowed, and the agent checks the bucket
 * in the request path with {@link #allowsBucket}.
 */
final class StorageMatcher {
  static final StorageMatcher NONE = new StorageMatcher(List.of());
  private static final String[] ANY_REGION = new String[0];

  private final NameTable<Integer> azureServiceMasks;
  private final NameTable<String[]> s3Regions; // ANY_REGION when the policy names none
  private final NameTable<String> s3PathRegions;
  private final boolean s3AnyBucket;
  private final boolean s3AnyRegionBucket;
  private final NameTable<String> gcsBuckets;

  StorageMatcher(List<StorageDestination> allowed) {
    Map<String, Integer> azure = new HashMap<>();
    Map<String, Set<String>> s3 = new HashMap<>();
    Set<String> s3AnyRegion = new HashSet<>();
    Map<String, String> gcs = new HashMap<>();
    Map<String, String> pathRegions = new HashMap<>();
    for (StorageDestination d : allowed) {
      switch (d.type()) {
        case AZURE_STORAGE:
          int svc =
              d.azureStorageService() == null
                  ? -1
                  : StorageHosts.serviceIndex(
                      d.azureStorageService(), 0, d.azureStorageService().length());
          int mask = svc < 0 ? (1 << StorageHosts.AZURE_SERVICES.length) - 1 : 1 << svc;
          azure.merge(d.azureStorageAccount(), mask, (a, b) -> a | b);
          break;
        case AWS_S3:
          if (d.region() == null) {
            s3AnyRegion.add(d.bucketName());
          } else {
            s3.computeIfAbsent(d.bucketName(), k -> new HashSet<>()).add(d.region());
            pathRegions.put(d.region(), d.region());
          }
          break;
        default:
          gcs.put(d.bucketName(), d.bucketName());
      }
    }
    Map<String, String[]> s3Table = new HashMap<>();
    s3.forEach((bucket, regions) -> s3Table.put(bucket, regions.toArray(new String[0])));
    s3AnyRegion.forEach(bucket -> s3Table.put(bucket, ANY_REGION));
    azureServiceMasks = NameTable.of(azure);
    s3Regions = NameTable.of(s3Table);
    s3PathRegions = NameTable.of(pathRegions);
    s3AnyBucket = !s3Table.isEmpty();
    s3AnyRegionBucket = !s3AnyRegion.isEmpty();
    gcsBuckets = NameTable.of(gcs);
  }

  static StorageMatcher of(List<List<StorageDestination>> sources) {
    List<StorageDestination> all = new ArrayList<>();
    sources.forEach(all::addAll);
    return new StorageMatcher(all);
  }

  /** Whether the storage host {@code name}, parsed into {@code p}, is allowed. */
  boolean allows(String name, long p) {
    int bucketEnd = StorageHosts.bucketEnd(p);
    switch (StorageHosts.kind(p)) {
      case StorageHosts.AZURE:
        {
          Integer mask = azureServiceMasks.get(name, 0, bucketEnd);
          int svc =
              StorageHosts.serviceIndex(
                  name, StorageHosts.serviceStart(p), StorageHosts.serviceEnd(p));
          return mask != null && svc >= 0 && (mask & (1 << svc)) != 0;
        }
      case StorageHosts.S3:
        {
          int rs = StorageHosts.regionStart(p);
          int re = StorageHosts.regionEnd(p);
          if (bucketEnd == 0) {
            return re == 0
                ? s3AnyBucket
                : s3AnyRegionBucket || s3PathRegions.get(name, rs, re) != null;
          }
          String[] regions = s3Regions.get(name, 0, bucketEnd);
          return regions != null && regionMatches(regions, name, rs, re);
        }
      case StorageHosts.GCS:
        return bucketEnd == 0 ? !gcsBuckets.isEmpty() : gcsBuckets.get(name, 0, bucketEnd) != null;
      default:
        return false;
    }
  }

  /**
   * Whether {@code bucket} (or Azure account) is allowed on the storage host parsed into {@code p}.
   */
  boolean allowsBucket(String name, long p, String bucket) {
    switch (StorageHosts.kind(p)) {
      case StorageHosts.S3:
        {
          String[] regions = s3Regions.get(bucket);
          return regions != null
              && regionMatches(
                  regions, name, StorageHosts.regionStart(p), StorageHosts.regionEnd(p));
        }
      case StorageHosts.GCS:
        return gcsBuckets.get(bucket) != null;
      default:
        return allows(name, p);
    }
  }

  /**
   * A host without a region (the global endpoint) matches any region; otherwise one must be equal.
   */
  private static boolean regionMatches(String[] regions, String name, int rs, int re) {
    if (regions == ANY_REGION || re == 0) {
      return true;
    }
    for (String r : regions) {
      if (r.length() == re - rs && name.startsWith(r, rs)) {
        return true;
      }
    }
    return false;
  }
}
