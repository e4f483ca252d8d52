package dev.egress.policy;

/** {@code storage_destination_type} of a storage destination. */
public enum StorageType {
  AZURE_STORAGE,
  AWS_S3,
  GOOGLE_CLOUD_STORAGE
}
