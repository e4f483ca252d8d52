package dev.egress.policy;

import java.util.Objects;

/** A Unity Catalog external location of a workspace; {@code storage} is what its URL points at. */
public record ExternalLocation(String name, String url, StorageDestination storage) {
  public ExternalLocation {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(storage, "storage");
  }
}
