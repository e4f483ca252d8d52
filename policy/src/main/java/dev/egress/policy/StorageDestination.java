package dev.egress.policy;

import java.util.Objects;

/**
 * One storage destination as the account API writes it: an Azure storage account (optionally one
 * service: {@code dfs}, {@code blob}, ...) or an S3 / GCS bucket (optionally one region). Names are
 * stored lower case because storage host names are compared canonically.
 */
public record StorageDestination(
    StorageType type,
    String azureStorageAccount,
    String azureStorageService,
    String bucketName,
    String region) {

  public StorageDestination {
    Objects.requireNonNull(type, "type");
    if (type == StorageType.AZURE_STORAGE) {
      if (azureStorageAccount == null || bucketName != null) {
        throw new IllegalArgumentException(
            "AZURE_STORAGE needs azure_storage_account and no bucket_name");
      }
    } else if (bucketName == null || azureStorageAccount != null || azureStorageService != null) {
      throw new IllegalArgumentException(type + " needs bucket_name and no azure_storage_* fields");
    }
  }

  public static StorageDestination azure(String account, String service) {
    return new StorageDestination(StorageType.AZURE_STORAGE, account, service, null, null);
  }

  public static StorageDestination s3(String bucket, String region) {
    return new StorageDestination(StorageType.AWS_S3, null, null, bucket, region);
  }

  public static StorageDestination gcs(String bucket) {
    return new StorageDestination(StorageType.GOOGLE_CLOUD_STORAGE, null, null, bucket, null);
  }

  /**
   * The JSON a user would add to {@code allowed_storage_destinations} to allow this destination.
   */
  public String toJson() {
    StringBuilder b = new StringBuilder("{");
    if (type == StorageType.AZURE_STORAGE) {
      b.append("\"azure_storage_account\": \"").append(azureStorageAccount).append('"');
      if (azureStorageService != null) {
        b.append(", \"azure_storage_service\": \"").append(azureStorageService).append('"');
      }
    } else {
      b.append("\"bucket_name\": \"").append(bucketName).append('"');
      if (region != null) {
        b.append(", \"region\": \"").append(region).append('"');
      }
    }
    return b.append(", \"storage_destination_type\": \"").append(type).append("\"}").toString();
  }
}
