package dev.egress.collector.record;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Writes a {@link ViolationRow} back in the shape of SPEC section 6 (the nested objects rebuilt
 * from their columns, fields in the spec's order), so that the query API returns what the agent
 * wrote, plus {@code received_at}. Of the three event objects only those with a value, or the one
 * matching {@code destination_type}, are written; the others are null, as the agent writes them.
 */
public final class RecordWriter {
  private RecordWriter() {}

  public static void write(JsonGenerator g, ViolationRow r, boolean withReceivedAt)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("event_id", r.eventId());
    g.writeStringField("event_time", r.eventTime());
    g.writeStringField("account_id", r.accountId());
    writeNumber(g, "workspace_id", r.workspaceId());
    g.writeStringField("network_policy_id", r.networkPolicyId());
    g.writeStringField("destination_type", r.destinationType());
    g.writeStringField("destination", r.destination());
    String type = r.destinationType();
    if ("DNS".equals(type) || r.dnsDomainName() != null || r.dnsRcode() != null) {
      g.writeObjectFieldStart("dns_event");
      g.writeStringField("domain_name", r.dnsDomainName());
      writeNumber(g, "rcode", r.dnsRcode());
      g.writeEndObject();
    } else {
      g.writeNullField("dns_event");
    }
    if ("IP".equals(type) || r.ipAddress() != null) {
      g.writeObjectFieldStart("ip_event");
      g.writeStringField("ip_address", r.ipAddress());
      g.writeEndObject();
    } else {
      g.writeNullField("ip_event");
    }
    if ("STORAGE".equals(type)
        || r.storageHostname() != null
        || r.storagePath() != null
        || r.storageRejectionReason() != null) {
      g.writeObjectFieldStart("storage_event");
      g.writeStringField("hostname", r.storageHostname());
      g.writeStringField("path", r.storagePath());
      g.writeStringField("rejection_reason", r.storageRejectionReason());
      g.writeEndObject();
    } else {
      g.writeNullField("storage_event");
    }
    g.writeStringField("access_type", r.accessType());
    g.writeStringField("network_source_type", r.networkSourceType());
    writeNumber(g, "port", r.port());
    g.writeStringField("protocol", r.protocol());
    g.writeStringField("reason", r.reason());
    if (r.callerClass() == null
        && r.callerMethod() == null
        && r.callerLine() == null
        && r.callerCodeSource() == null
        && r.callerUserCode() == null) {
      g.writeNullField("caller");
    } else {
      g.writeObjectFieldStart("caller");
      g.writeStringField("class", r.callerClass());
      g.writeStringField("method", r.callerMethod());
      writeNumber(g, "line", r.callerLine());
      g.writeStringField("code_source", r.callerCodeSource());
      if (r.callerUserCode() == null) {
        g.writeNullField("user_code");
      } else {
        g.writeBooleanField("user_code", r.callerUserCode());
      }
      g.writeEndObject();
    }
    if (r.processPid() == null
        && r.processHost() == null
        && r.processJvmRole() == null
        && r.processSparkAppId() == null
        && r.processSparkExecutorId() == null) {
      g.writeNullField("process");
    } else {
      g.writeObjectFieldStart("process");
      writeNumber(g, "pid", r.processPid());
      g.writeStringField("host", r.processHost());
      g.writeStringField("jvm_role", r.processJvmRole());
      g.writeStringField("spark_app_id", r.processSparkAppId());
      g.writeStringField("spark_executor_id", r.processSparkExecutorId());
      g.writeEndObject();
    }
    g.writeNumberField("count", r.count());
    if (withReceivedAt) {
      g.writeStringField("received_at", EventTimes.format(r.receivedAt()));
    }
    g.writeEndObject();
  }

  private static void writeNumber(JsonGenerator g, String name, Number v) throws IOException {
    if (v == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, v.longValue());
    }
  }
}
