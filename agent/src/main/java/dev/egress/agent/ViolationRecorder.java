package dev.egress.agent;

import dev.egress.agent.config.Settings;
import dev.egress.agent.decide.CallerFrame;
import dev.egress.agent.decide.Denial;
import dev.egress.agent.decide.DenialRecorder;
import dev.egress.agent.report.Caller;
import dev.egress.agent.report.ProcessInfo;
import dev.egress.agent.report.Reporter;
import dev.egress.agent.report.ViolationRecord;
import dev.egress.policy.Action;
import dev.egress.policy.Decision;
import dev.egress.policy.DestinationType;
import dev.egress.policy.EffectivePolicy;

/**
 * Turns a denial into the violation record of SPEC section 6 and offers it to the reporter. Runs on
 * the denying thread, so it only builds one object and hands it over: no I/O, no blocking.
 */
final class ViolationRecorder implements DenialRecorder {
  /** NXDOMAIN: what a denied lookup looks like to the application's resolver. */
  private static final int RCODE_NXDOMAIN = 3;

  private static final int RCODE_NOERROR = 0;

  private final Reporter reporter;
  private final String product;
  private volatile ProcessInfo process =
      new ProcessInfo(ProcessHandle.current().pid(), null, null, null, null);

  ViolationRecorder(Reporter reporter, Settings settings) {
    this.reporter = reporter;
    this.product = settings.product().name();
  }

  /** Completes the process facts once they are known (host name needs a lookup). */
  void processInfo(ProcessInfo info) {
    process = info;
  }

  @Override
  public void record(Denial denial) {
    reporter.offer(toRecord(denial));
  }

  /** Package-private seam for tests. */
  ViolationRecord toRecord(Denial denial) {
    Decision d = denial.decision();
    EffectivePolicy p = denial.policy();
    boolean drop = d.action() == Action.DROP;
    ViolationRecord.Builder b =
        ViolationRecord.builder()
            .accountId(p.accountId())
            .workspaceId(p.workspaceId())
            .networkPolicyId(p.networkPolicyId())
            .destinationType(d.destinationType().name())
            .destination(d.destination())
            .accessType(drop ? ViolationRecord.ACCESS_DROP : ViolationRecord.ACCESS_DRY_RUN_DENIAL)
            .networkSourceType(product)
            .port(denial.port() > 0 ? denial.port() : null)
            .protocol(denial.protocol().name())
            .reason(d.reason().code())
            .caller(caller(denial.caller()))
            .process(process);
    if (d.destinationType() == DestinationType.DNS) {
      String name = d.hostname() != null ? d.hostname() : d.destination();
      // The rcode is what the resolver answered the application: NXDOMAIN for a denied lookup,
      // NOERROR for a lookup let through in dry run; none when a connect was judged by its name.
      Integer rcode = denial.lookedUpName() == null ? null : drop ? RCODE_NXDOMAIN : RCODE_NOERROR;
      b.dnsEvent(name, rcode);
    } else if (d.destinationType() == DestinationType.IP) {
      String ip =
          d.ipAddress() != null
              ? d.ipAddress()
              : denial.address() != null ? denial.address().getHostAddress() : d.destination();
      b.ipEvent(ip);
    } else {
      b.storageEvent(d.hostname(), d.storagePath(), d.reason().code());
    }
    return b.build();
  }

  private static Caller caller(CallerFrame f) {
    return f == null
        ? null
        : new Caller(f.className(), f.methodName(), f.line(), f.codeSource(), f.userCode());
  }
}
