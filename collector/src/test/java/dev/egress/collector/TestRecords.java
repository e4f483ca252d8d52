package dev.egress.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** Violation records as the agent writes them (SPEC section 6), every field set. */
public final class TestRecords {
  public static final ObjectMapper JSON = new ObjectMapper();

  private TestRecords() {}

  public static ObjectNode dns(long workspace, String host, String time) {
    ObjectNode r = base(workspace, "DNS", host, time);
    ObjectNode dns = r.putObject("dns_event");
    dns.put("domain_name", host);
    dns.put("rcode", 3);
    r.putNull("ip_event");
    r.putNull("storage_event");
    return finish(r, "DROP", "not-allowed", 443, "DNS");
  }

  public static ObjectNode ip(long workspace, String address, String time) {
    ObjectNode r = base(workspace, "IP", address, time);
    r.putNull("dns_event");
    r.putObject("ip_event").put("ip_address", address);
    r.putNull("storage_event");
    return finish(r, "DRY_RUN_DENIAL", "not-allowed", 8443, "TCP");
  }

  public static ObjectNode storage(long workspace, String host, String time) {
    ObjectNode r = base(workspace, "STORAGE", "abfss://data@" + host + "/x", time);
    r.putNull("dns_event");
    r.putNull("ip_event");
    ObjectNode s = r.putObject("storage_event");
    s.put("hostname", host);
    s.put("path", "/data/x/part-0001.parquet");
    s.put("rejection_reason", "direct-storage-access");
    return finish(r, "DRY_RUN_DENIAL", "direct-storage-access", 443, "TCP");
  }

  private static ObjectNode base(long workspace, String type, String destination, String time) {
    ObjectNode r = JSON.createObjectNode();
    r.put("event_id", UUID.randomUUID().toString());
    r.put("event_time", time);
    r.put("account_id", "8f1e-acct");
    r.put("workspace_id", workspace);
    r.put("network_policy_id", "restricted");
    r.put("destination_type", type);
    r.put("destination", destination);
    return r;
  }

  private static ObjectNode finish(
      ObjectNode r, String access, String reason, int port, String protocol) {
    // Field order as SPEC section 6 (and the agent) writes it.
    com.fasterxml.jackson.databind.JsonNode dns = r.remove("dns_event");
    com.fasterxml.jackson.databind.JsonNode ip = r.remove("ip_event");
    com.fasterxml.jackson.databind.JsonNode st = r.remove("storage_event");
    r.set("dns_event", dns);
    r.set("ip_event", ip);
    r.set("storage_event", st);
    r.put("access_type", access);
    r.put("network_source_type", "GENERAL_COMPUTE");
    r.put("port", port);
    r.put("protocol", protocol);
    r.put("reason", reason);
    ObjectNode c = r.putObject("caller");
    c.put("class", "com.example.Job");
    c.put("method", "fetch");
    c.put("line", 42);
    c.put("code_source", "file:/local_disk0/tmp/job.jar");
    c.put("user_code", true);
    ObjectNode p = r.putObject("process");
    p.put("pid", 4242L);
    p.put("host", "10.1.2.3");
    p.put("jvm_role", "executor");
    p.put("spark_app_id", "app-20250131-0001");
    p.put("spark_executor_id", "7");
    r.put("count", 1);
    return r;
  }

  public static String ndjson(List<ObjectNode> records) {
    return records.stream().map(ObjectNode::toString).collect(Collectors.joining("\n", "", "\n"));
  }
}
