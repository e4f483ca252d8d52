package dev.egress.collector.record;

/**
 * One violation record (SPEC section 6) flattened into the columns of {@code outbound_network}: the
 * nested {@code dns_event}, {@code ip_event}, {@code storage_event}, {@code caller} and {@code
 * process} objects become prefixed columns, so that they can be filtered and indexed. {@code
 * eventTime} is normalised to {@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'} so that its text order is its
 * time order; {@code receivedAt} is set by the collector (epoch milliseconds), 0 until then.
 */
public record ViolationRow(
    String eventId,
    String eventTime,
    long eventTimeMs,
    String accountId,
    Long workspaceId,
    String networkPolicyId,
    String destinationType,
    String destination,
    String dnsDomainName,
    Integer dnsRcode,
    String ipAddress,
    String storageHostname,
    String storagePath,
    String storageRejectionReason,
    String accessType,
    String networkSourceType,
    Integer port,
    String protocol,
    String reason,
    String callerClass,
    String callerMethod,
    Integer callerLine,
    String callerCodeSource,
    Boolean callerUserCode,
    Long processPid,
    String processHost,
    String processJvmRole,
    String processSparkAppId,
    String processSparkExecutorId,
    long count,
    long receivedAt) {

  /** This row stamped with the time the collector accepted it. */
  public ViolationRow receivedAt(long epochMillis) {
    return new ViolationRow(
        eventId,
        eventTime,
        eventTimeMs,
        accountId,
        workspaceId,
        networkPolicyId,
        destinationType,
        destination,
        dnsDomainName,
        dnsRcode,
        ipAddress,
        storageHostname,
        storagePath,
        storageRejectionReason,
        accessType,
        networkSourceType,
        port,
        protocol,
        reason,
        callerClass,
        callerMethod,
        callerLine,
        callerCodeSource,
        callerUserCode,
        processPid,
        processHost,
        processJvmRole,
        processSparkAppId,
        processSparkExecutorId,
        count,
        epochMillis);
  }

  /**
   * "class.method" of the caller, or null when the record names none; the key of summaries by
   * caller.
   */
  public String callerKey() {
    if (callerClass == null && callerMethod == null) {
      return null;
    }
    return (callerClass == null ? "?" : callerClass)
        + "."
        + (callerMethod == null ? "?" : callerMethod);
  }
}
