package dev.egress.policy;

/**
 * A cloud storage endpoint recognised from its host name. {@code accountOrBucket} is the Azure
 * storage account, the S3 bucket (or access point), or the GCS bucket; it is null for path-style
 * hosts, which carry the bucket in the request path. {@code service} is the Azure service ({@code
 * dfs}, {@code blob}, ...), {@code region} the AWS region when the host names one.
 */
public record StorageHost(
    StorageType provider, String hostname, String accountOrBucket, String service, String region) {

  public boolean pathStyle() {
    return accountOrBucket == null;
  }

  /** The Azure storage account, or null. */
  public String account() {
    return provider == StorageType.AZURE_STORAGE ? accountOrBucket : null;
  }

  /** The S3 or GCS bucket, or null. */
  public String bucket() {
    return provider == StorageType.AZURE_STORAGE ? null : accountOrBucket;
  }

  /**
   * The storage location for the violation record: {@code abfss://lakeprod.dfs.core.windows.net},
   * {@code s3://bucket}, {@code gs://bucket}; for a path-style host, the scheme and the host.
   */
  public String location() {
    switch (provider) {
      case AZURE_STORAGE:
        return StorageHosts.azureScheme(service) + "://" + hostname;
      case AWS_S3:
        return "s3://" + (accountOrBucket == null ? hostname : accountOrBucket);
      default:
        return "gs://" + (accountOrBucket == null ? hostname : accountOrBucket);
    }
  }
}
