package dev.egress.policy;

import java.util.List;

/**
 * Storage the platform itself needs: system tables and sample data sets, allowed to platform code.
 */
public record PlatformStorage(
    List<StorageDestination> systemTablesStorage, List<StorageDestination> sampleDatasetsStorage) {

  public static final PlatformStorage EMPTY = new PlatformStorage(List.of(), List.of());

  public PlatformStorage {
    systemTablesStorage = List.copyOf(systemTablesStorage);
    sampleDatasetsStorage = List.copyOf(sampleDatasetsStorage);
  }
}
