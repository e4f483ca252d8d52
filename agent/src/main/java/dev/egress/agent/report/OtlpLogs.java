package dev.egress.agent.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Violation records as an OTLP/HTTP logs request in the protobuf JSON encoding ({@code
 * ExportLogsServiceRequest}): one resource (this process), one scope ({@code dev.egress.agent}),
 * one log record per violation with severity WARN, the human summary as body, and every field of
 * the record as an attribute named {@code egress.<field>} (nested ones flattened with dots), so
 * that an OpenTelemetry Collector can route and filter on them.
 */
final class OtlpLogs {
  static final String SCOPE = "dev.egress.agent";
  private static final int SEVERITY_WARN = 13;
  private static final JsonFactory FACTORY = new JsonFactory();

  private OtlpLogs() {}

  static String request(List<ViolationRecord> batch) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      ProcessInfo process = batch.isEmpty() ? null : batch.get(0).process();
      g.writeStartObject();
      g.writeArrayFieldStart("resourceLogs");
      g.writeStartObject();
      g.writeObjectFieldStart("resource");
      g.writeArrayFieldStart("attributes");
      string(g, "service.name", "egress-agent");
      if (process != null) {
        string(g, "host.name", process.host());
        if (process.pid() != null) {
          integer(g, "process.pid", process.pid());
        }
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeArrayFieldStart("scopeLogs");
      g.writeStartObject();
      g.writeObjectFieldStart("scope");
      g.writeStringField("name", SCOPE);
      g.writeEndObject();
      g.writeArrayFieldStart("logRecords");
      for (ViolationRecord r : batch) {
        logRecord(g, r);
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void logRecord(JsonGenerator g, ViolationRecord r) throws IOException {
    g.writeStartObject();
    g.writeStringField("timeUnixNano", nanos(r.eventTime()));
    g.writeStringField("observedTimeUnixNano", nanos(Instant.now()));
    g.writeNumberField("severityNumber", SEVERITY_WARN);
    g.writeStringField("severityText", "WARN");
    g.writeObjectFieldStart("body");
    g.writeStringField(
        "stringValue",
        "Egress "
            + ("DROP".equals(r.accessType()) ? "denied" : "would be denied (dry run)")
            + ": "
            + r.destination()
            + " ("
            + r.reason()
            + ")");
    g.writeEndObject();
    g.writeArrayFieldStart("attributes");
    string(g, "egress.event_id", r.eventId());
    string(g, "egress.account_id", r.accountId());
    if (r.workspaceId() != null) {
      integer(g, "egress.workspace_id", r.workspaceId());
    }
    string(g, "egress.network_policy_id", r.networkPolicyId());
    string(g, "egress.destination_type", r.destinationType());
    string(g, "egress.destination", r.destination());
    if (r.dnsEvent() != null) {
      string(g, "egress.dns_event.domain_name", r.dnsEvent().domainName());
      if (r.dnsEvent().rcode() != null) {
        integer(g, "egress.dns_event.rcode", r.dnsEvent().rcode());
      }
    }
    if (r.ipEvent() != null) {
      string(g, "egress.ip_event.ip_address", r.ipEvent().ipAddress());
    }
    if (r.storageEvent() != null) {
      string(g, "egress.storage_event.hostname", r.storageEvent().hostname());
      string(g, "egress.storage_event.path", r.storageEvent().path());
      string(g, "egress.storage_event.rejection_reason", r.storageEvent().rejectionReason());
    }
    string(g, "egress.access_type", r.accessType());
    string(g, "egress.network_source_type", r.networkSourceType());
    if (r.port() != null) {
      integer(g, "egress.port", r.port());
    }
    string(g, "egress.protocol", r.protocol());
    string(g, "egress.reason", r.reason());
    if (r.caller() != null) {
      string(g, "egress.caller.class", r.caller().className());
      string(g, "egress.caller.method", r.caller().method());
      if (r.caller().line() >= 0) {
        integer(g, "egress.caller.line", r.caller().line());
      }
      string(g, "egress.caller.code_source", r.caller().codeSource());
      g.writeStartObject();
      g.writeStringField("key", "egress.caller.user_code");
      g.writeObjectFieldStart("value");
      g.writeBooleanField("boolValue", r.caller().userCode());
      g.writeEndObject();
      g.writeEndObject();
    }
    ProcessInfo p = r.process();
    if (p != null) {
      string(g, "egress.process.jvm_role", p.jvmRole());
      string(g, "egress.process.spark_app_id", p.sparkAppId());
      string(g, "egress.process.spark_executor_id", p.sparkExecutorId());
    }
    integer(g, "egress.count", r.count());
    g.writeEndArray();
    g.writeEndObject();
  }

  private static String nanos(Instant t) {
    return Long.toString(t.getEpochSecond() * 1_000_000_000L + t.getNano());
  }

  private static void string(JsonGenerator g, String key, String value) throws IOException {
    if (value == null) {
      return;
    }
    g.writeStartObject();
    g.writeStringField("key", key);
    g.writeObjectFieldStart("value");
    g.writeStringField("stringValue", value);
    g.writeEndObject();
    g.writeEndObject();
  }

  /** OTLP JSON carries 64-bit integers as strings. */
  private static void integer(JsonGenerator g, String key, long value) throws IOException {
    g.writeStartObject();
    g.writeStringField("key", key);
    g.writeObjectFieldStart("value");
    g.writeStringField("intValue", Long.toString(value));
    g.writeEndObject();
    g.writeEndObject();
  }
}
