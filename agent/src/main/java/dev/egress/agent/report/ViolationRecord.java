package dev.egress.agent.report;

import java.time.Instant;
import java.util.UUID;

/**
 * One denial, or one would-be denial in dry-run (SPEC section 6), possibly standing for {@link
 * #count()} identical ones. Immutable; built with {@link #builder()}. Ids and enumerations are
 * plain strings: the decision engine owns their types, this class only carries them to the sinks.
 * Every string is capped in length (see {@link Text}).
 */
public final class ViolationRecord {
  public static final String DESTINATION_DNS = "DNS";
  public static final String DESTINATION_IP = "IP";
  public static final String DESTINATION_STORAGE = "STORAGE";
  public static final String ACCESS_DROP = "DROP";
  public static final String ACCESS_DRY_RUN_DENIAL = "DRY_RUN_DENIAL";

  /**
   * {@code dns_event}: the name looked up and the DNS response code returned (3, NXDOMAIN, for a
   * denial).
   */
  public record DnsEvent(String domainName, Integer rcode) {
    public DnsEvent {
      domainName = Text.cap(domainName);
    }
  }

  /** {@code ip_event}. */
  public record IpEvent(String ipAddress) {
    public IpEvent {
      ipAddress = Text.cap(ipAddress);
    }
  }

  /** {@code storage_event}. */
  public record StorageEvent(String hostname, String path, String rejectionReason) {
    public StorageEvent {
      hostname = Text.cap(hostname);
      path = Text.cap(path);
      rejectionReason = Text.cap(rejectionReason);
    }
  }

  private final String eventId;
  private final Instant eventTime;
  private final String accountId;
  private final Long workspaceId;
  private final String networkPolicyId;
  private final String destinationType;
  private final String destination;
  private final DnsEvent dnsEvent;
  private final IpEvent ipEvent;
  private final StorageEvent storageEvent;
  private final String accessType;
  private final String networkSourceType;
  private final Integer port;
  private final String protocol;
  private final String reason;
  private final Caller caller;
  private final ProcessInfo process;
  private final long count;

  private ViolationRecord(Builder b) {
    eventId = b.eventId != null ? Text.cap(b.eventId) : UUID.randomUUID().toString();
    eventTime = b.eventTime != null ? b.eventTime : Instant.now();
    accountId = Text.cap(b.accountId);
    workspaceId = b.workspaceId;
    networkPolicyId = Text.cap(b.networkPolicyId);
    destinationType = Text.cap(b.destinationType);
    destination = Text.cap(b.destination);
    dnsEvent = b.dnsEvent;
    ipEvent = b.ipEvent;
    storageEvent = b.storageEvent;
    accessType = Text.cap(b.accessType);
    networkSourceType = Text.cap(b.networkSourceType);
    port = b.port;
    protocol = Text.cap(b.protocol);
    reason = Text.cap(b.reason);
    caller = b.caller;
    process = b.process;
    count = b.count;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this record's values. */
  public Builder toBuilder() {
    return new Builder()
        .eventId(eventId)
        .eventTime(eventTime)
        .accountId(accountId)
        .workspaceId(workspaceId)
        .networkPolicyId(networkPolicyId)
        .destinationType(destinationType)
        .destination(destination)
        .dnsEvent(dnsEvent)
        .ipEvent(ipEvent)
        .storageEvent(storageEvent)
        .accessType(accessType)
        .networkSourceType(networkSourceType)
        .port(port)
        .protocol(protocol)
        .reason(reason)
        .caller(caller)
        .process(process)
        .count(count);
  }

  /** This record standing for {@code n} violations (the reporter's folding). */
  public ViolationRecord withCount(long n) {
    return n == count ? this : toBuilder().count(n).build();
  }

  public String eventId() {
    return eventId;
  }

  public Instant eventTime() {
    return eventTime;
  }

  public String accountId() {
    return accountId;
  }

  public Long workspaceId() {
    return workspaceId;
  }

  public String networkPolicyId() {
    return networkPolicyId;
  }

  public String destinationType() {
    return destinationType;
  }

  public String destination() {
    return destination;
  }

  public DnsEvent dnsEvent() {
    return dnsEvent;
  }

  public IpEvent ipEvent() {
    return ipEvent;
  }

  public StorageEvent storageEvent() {
    return storageEvent;
  }

  public String accessType() {
    return accessType;
  }

  public String networkSourceType() {
    return networkSourceType;
  }

  public Integer port() {
    return port;
  }

  public String protocol() {
    return protocol;
  }

  public String reason() {
    return reason;
  }

  /** The caller, or null when unknown. */
  public Caller caller() {
    return caller;
  }

  public ProcessInfo process() {
    return process;
  }

  public long count() {
    return count;
  }

  @Override
  public String toString() {
    return RecordJson.toJson(this);
  }

  /**
   * Builds a record. {@code event_id} defaults to a random UUID, {@code event_time} to now and
   * {@code count} to 1; everything else to null.
   */
  public static final class Builder {
    private String eventId;
    private Instant eventTime;
    private String accountId;
    private Long workspaceId;
    private String networkPolicyId;
    private String destinationType;
    private String destination;
    private DnsEvent dnsEvent;
    private IpEvent ipEvent;
    private StorageEvent storageEvent;
    private String accessType;
    private String networkSourceType;
    private Integer port;
    private String protocol;
    private String reason;
    private Caller caller;
    private ProcessInfo process;
    private long count = 1;

    private Builder() {}

    public Builder eventId(String v) {
      eventId = v;
      return this;
    }

    public Builder eventTime(Instant v) {
      eventTime = v;
      return this;
    }

    public Builder accountId(String v) {
      accountId = v;
      return this;
    }

    public Builder workspaceId(Long v) {
      workspaceId = v;
      return this;
    }

    public Builder networkPolicyId(String v) {
      networkPolicyId = v;
      return this;
    }

    /** {@code DNS}, {@code IP} or {@code STORAGE}. */
    public Builder destinationType(String v) {
      destinationType = v;
      return this;
    }

    public Builder destination(String v) {
      destination = v;
      return this;
    }

    public Builder dnsEvent(DnsEvent v) {
      dnsEvent = v;
      return this;
    }

    public Builder dnsEvent(String domainName, Integer rcode) {
      return dnsEvent(new DnsEvent(domainName, rcode));
    }

    public Builder ipEvent(IpEvent v) {
      ipEvent = v;
      return this;
    }

    public Builder ipEvent(String ipAddress) {
      return ipEvent(new IpEvent(ipAddress));
    }

    public Builder storageEvent(StorageEvent v) {
      storageEvent = v;
      return this;
    }

    public Builder storageEvent(String hostname, String path, String rejectionReason) {
      return storageEvent(new StorageEvent(hostname, path, rejectionReason));
    }

    /** {@code DROP} or {@code DRY_RUN_DENIAL}. */
    public Builder accessType(String v) {
      accessType = v;
      return this;
    }

    /** The {@code product} setting. */
    public Builder networkSourceType(String v) {
      networkSourceType = v;
      return this;
    }

    public Builder port(Integer v) {
      port = v;
      return this;
    }

    /** {@code TCP}, {@code UDP} or {@code DNS}. */
    public Builder protocol(String v) {
      protocol = v;
      return this;
    }

    /** A reason code such as {@code not-allowed}. */
    public Builder reason(String v) {
      reason = v;
      return this;
    }

    public Builder caller(Caller v) {
      caller = v;
      return this;
    }

    public Builder process(ProcessInfo v) {
      process = v;
      return this;
    }

    public Builder count(long v) {
      if (v < 1) {
        throw new IllegalArgumentException("count must be at least 1: " + v);
      }
      count = v;
      return this;
    }

    public ViolationRecord build() {
      return new ViolationRecord(this);
    }
  }
}
