package dev.egress.policy;

/**
 * The verdict on one connection or lookup. Allowed decisions are the shared {@link #ALLOW}: the
 * agent decides on every connect and an allow must not allocate. Denials carry what the violation
 * record needs.
 */
public final class Decision {
  public static final Decision ALLOW =
      new Decision(Action.ALLOW, null, null, null, null, null, null, "allowed");

  private final Action action;
  private final Reason reason;
  private final DestinationType destinationType;
  private final String destination;
  private final String hostname;
  private final String storagePath;
  private final String ipAddress;
  private final String explanation;

  private Decision(
      Action action,
      Reason reason,
      DestinationType destinationType,
      String destination,
      String hostname,
      String storagePath,
      String ipAddress,
      String explanation) {
    this.action = action;
    this.reason = reason;
    this.destinationType = destinationType;
    this.destination = destination;
    this.hostname = hostname;
    this.storagePath = storagePath;
    this.ipAddress = ipAddress;
    this.explanation = explanation;
  }

  static Decision dns(Action action, Reason reason, String name, String explanation) {
    return new Decision(action, reason, DestinationType.DNS, name, name, null, null, explanation);
  }

  static Decision ip(Action action, Reason reason, String address, String explanation) {
    return new Decision(
        action, reason, DestinationType.IP, address, null, null, address, explanation);
  }

  static Decision storage(
      Action action, Reason reason, String location, String hostname, String explanation) {
    return new Decision(
        action, reason, DestinationType.STORAGE, location, hostname, null, null, explanation);
  }

  /** This denial with the storage path the agent learned later (from the HTTP request line). */
  public Decision withStoragePath(String path) {
    if (action == Action.ALLOW) {
      return this;
    }
    return new Decision(
        action, reason, destinationType, destination, hostname, path, ipAddress, explanation);
  }

  /** This denial with the address actually connected to, for the record. */
  public Decision withIpAddress(String address) {
    if (action == Action.ALLOW) {
      return this;
    }
    return new Decision(
        action, reason, destinationType, destination, hostname, storagePath, address, explanation);
  }

  public Action action() {
    return action;
  }

  /** Null for {@link #ALLOW}. */
  public Reason reason() {
    return reason;
  }

  public DestinationType destinationType() {
    return destinationType;
  }

  public String destination() {
    return destination;
  }

  public String hostname() {
    return hostname;
  }

  public String storagePath() {
    return storagePath;
  }

  public String ipAddress() {
    return ipAddress;
  }

  public String explanation() {
    return explanation;
  }

  public boolean denied() {
    return action != Action.ALLOW;
  }

  @Override
  public String toString() {
    if (action == Action.ALLOW) {
      return "ALLOW";
    }
    return action
        + " "
        + reason.code()
        + " "
        + destinationType
        + " "
        + destination
        + ": "
        + explanation;
  }
}
