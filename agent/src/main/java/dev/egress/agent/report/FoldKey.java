package dev.egress.agent.report;

/**
 * What makes two violations "identical" for folding: same destination, reason, access type, port,
 * protocol and calling line. Destination type and policy id are part of it too, so that a policy
 * refresh, or a name and an address that happen to print alike, never share a record. Details that
 * differ within a fold (the storage path, the event time) are those of the first occurrence.
 */
record FoldKey(
    String destination,
    String destinationType,
    String reason,
    String accessType,
    Integer port,
    String protocol,
    String networkPolicyId,
    String callerClass,
    String callerMethod,
    int callerLine) {

  static FoldKey of(ViolationRecord r) {
    Caller c = r.caller();
    return new FoldKey(
        r.destination(),
        r.destinationType(),
        r.reason(),
        r.accessType(),
        r.port(),
        r.protocol(),
        r.networkPolicyId(),
        c == null ? null : c.className(),
        c == null ? null : c.method(),
        c == null ? -1 : c.line());
  }
}
