package dev.egress.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The exported payload parsed by the OTLP schema itself (the generated protobuf classes of
 * opentelemetry-proto, through protobuf's strict JSON parser, which rejects unknown fields and
 * wrong types): not compared with a hand-written copy.
 */
class OtlpLogsTest {
  @Test
  void theRequestIsAValidExportLogsServiceRequestCarryingEveryField() throws Exception {
    ViolationRecord storage =
        ViolationRecord.builder()
            .accountId("acct")
            .workspaceId(1234L)
            .networkPolicyId("restricted")
            .destinationType(ViolationRecord.DESTINATION_STORAGE)
            .destination("s3://other-bucket")
            .storageEvent("s3.us-west-2.amazonaws.com", "/other-bucket/k", "storage-not-allowed")
            .accessType(ViolationRecord.ACCESS_DROP)
            .networkSourceType("GENERAL_COMPUTE")
            .port(443)
            .protocol("TCP")
            .reason("storage-not-allowed")
            .caller(new Caller("Cell1", "run", 7, "file:/repl/", true))
            .process(new ProcessInfo(42L, "worker-1", "executor", "app-1", "3"))
            .count(5)
            .build();
    String json = OtlpLogs.request(List.of(Records.dns("evil.example.net"), storage));

    ExportLogsServiceRequest.Builder parsed = ExportLogsServiceRequest.newBuilder();
    JsonFormat.parser().merge(json, parsed);
    ExportLogsServiceRequest request = parsed.build();

    assertEquals(1, request.getResourceLogsCount());
    var scope = request.getResourceLogs(0).getScopeLogs(0);
    assertEquals(OtlpLogs.SCOPE, scope.getScope().getName());
    assertEquals(2, scope.getLogRecordsCount());
    LogRecord r = scope.getLogRecords(1);
    assertEquals(13, r.getSeverityNumberValue());
    assertTrue(r.getTimeUnixNano() > 0);
    assertTrue(r.getBody().getStringValue().contains("s3://other-bucket"));
    Map<String, String> attributes =
        r.getAttributesList().stream()
            .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().toString().trim()));
    assertEquals("string_value: \"storage-not-allowed\"", attributes.get("egress.reason"));
    assertEquals("int_value: 1234", attributes.get("egress.workspace_id"));
    assertEquals("int_value: 5", attributes.get("egress.count"));
    assertEquals("bool_value: true", attributes.get("egress.caller.user_code"));
    assertEquals("string_value: \"/other-bucket/k\"", attributes.get("egress.storage_event.path"));
    assertEquals("string_value: \"executor\"", attributes.get("egress.process.jvm_role"));
  }
}
