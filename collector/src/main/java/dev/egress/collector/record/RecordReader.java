package dev.egress.collector.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Reads one violation record (one line of JSON) into a {@link ViolationRow}, checking every field's
 * type and vocabulary. The streaming parser is used because ingest parses tens of thousands of
 * records a second and a tree per record would double the garbage.
 *
 * <p>Strict on the fields it knows (a wrong type is an error, not a silent null: a record that
 * cannot be filtered by its reason is worse than a refused batch), lenient on fields it does not
 * know: a newer agent that adds a field must not get all of its batches refused, which would stall
 * its spool forever.
 */
public final class RecordReader {
  /**
   * Duplicate fields ({@code "reason"} twice: which one is true?) are refused by {@link
   * Fields#once}, a bit per known field: jackson's STRICT_DUPLICATE_DETECTION keeps a hash set per
   * object, a sixth of the parse time.
   */
  static final JsonFactory FACTORY = new JsonFactory();

  public static final Set<String> DESTINATION_TYPES = Set.of("DNS", "IP", "STORAGE");
  public static final Set<String> ACCESS_TYPES = Set.of("DROP", "DRY_RUN_DENIAL");
  public static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "DNS");
  public static final Set<String> REASONS =
      Set.of(
          "not-allowed",
          "blocked-destination",
          "direct-storage-access",
          "storage-not-allowed",
          "cross-workspace",
          "metadata-endpoint",
          "unverified-name",
          "policy-unavailable");

  /** Longest string value accepted; a destination or class name is far shorter, garbage is not. */
  static final int MAX_STRING = 8192;

  private RecordReader() {}

  public static ViolationRow read(String line) throws RecordFormatException {
    byte[] b = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return read(b, 0, b.length);
  }

  /** Parses the UTF-8 JSON object in {@code buf[off, off+len)}. */
  public static ViolationRow read(byte[] buf, int off, int len) throws RecordFormatException {
    try (JsonParser p = FACTORY.createParser(buf, off, len)) {
      Fields f = new Fields();
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new RecordFormatException("expected a JSON object");
      }
      readTop(p, f);
      if (p.nextToken() != null) {
        throw new RecordFormatException("more than one JSON value on the line");
      }
      return f.toRow();
    } catch (JsonProcessingException e) {
      throw new RecordFormatException(
          "invalid JSON at column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw new RecordFormatException("unreadable: " + e.getMessage());
    }
  }

  /** The fields as they are read; checked for presence and consistency in {@link #toRow()}. */
  private static final class Fields {
    String eventId;
    String eventTime;
    String accountId;
    Long workspaceId;
    String networkPolicyId;
    String destinationType;
    String destination;
    String dnsDomainName;
    Integer dnsRcode;
    String ipAddress;
    String storageHostname;
    String storagePath;
    String storageRejectionReason;
    String accessType;
    String networkSourceType;
    Integer port;
    String protocol;
    String reason;
    String callerClass;
    String callerMethod;
    Integer callerLine;
    String callerCodeSource;
    Boolean callerUserCode;
    Long processPid;
    String processHost;
    String processJvmRole;
    String processSparkAppId;
    String processSparkExecutorId;
    Long count;
    private long seen;

    /** Refuses a known field's second occurrence in a record; {@code bit} is the field's own. */
    void once(int bit, String field) throws RecordFormatException {
      if ((seen & (1L << bit)) != 0) {
        throw new RecordFormatException("field \"" + field + "\" appears twice");
      }
      seen |= 1L << bit;
    }

    ViolationRow toRow() throws RecordFormatException {
      String id = canonicalUuid(require("event_id", eventId));
      if (id == null) {
        throw new RecordFormatException(
            "field \"event_id\": not a UUID: \"" + clip(eventId) + "\"");
      }
      long ms = EventTimes.parseMillis(require("event_time", eventTime));
      if (ms == Long.MIN_VALUE) {
        throw new RecordFormatException(
            "field \"event_time\": not an ISO-8601 timestamp with an offset: \""
                + clip(eventTime)
                + "\"");
      }
      String time = EventTimes.isCanonical(eventTime) ? eventTime : EventTimes.format(ms);
      oneOf("destination_type", require("destination_type", destinationType), DESTINATION_TYPES);
      if (require("destination", destination).isEmpty()) {
        throw new RecordFormatException("field \"destination\": empty");
      }
      oneOf("access_type", require("access_type", accessType), ACCESS_TYPES);
      oneOf("reason", require("reason", reason), REASONS);
      if (protocol != null) {
        oneOf("protocol", protocol, PROTOCOLS);
      }
      if (port != null && (port < 0 || port > 65535)) {
        throw new RecordFormatException("field \"port\": " + port + " is not a port (0..65535)");
      }
      long n =
          count == null
              ? 1
              : count; // SPEC: repeats may be folded; an old record without it stands for one
      if (n < 1) {
        throw new RecordFormatException("field \"count\": must be at least 1, got " + n);
      }
      return new ViolationRow(
          id,
          time,
          ms,
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
          n,
          0L);
    }
  }

  /** The 36-character UUID in lower case, or null when {@code s} is not one. */
  static String canonicalUuid(String s) {
    if (s.length() != 36) {
      return null;
    }
    boolean upper = false;
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return null;
        }
      } else if (c >= 'A' && c <= 'F') {
        upper = true;
      } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return null;
      }
    }
    return upper ? s.toLowerCase(Locale.ROOT) : s;
  }

  private static void readTop(JsonParser p, Fields f) throws IOException, RecordFormatException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "event_id":
          f.once(0, "event_id");
          f.eventId = string(p, name);
          break;
        case "event_time":
          f.once(1, "event_time");
          f.eventTime = string(p, name);
          break;
        case "account_id":
          f.once(2, "account_id");
          f.accountId = string(p, name);
          break;
        case "workspace_id":
          f.once(3, "workspace_id");
          f.workspaceId = integer(p, name, Long.MAX_VALUE);
          break;
        case "network_policy_id":
          f.once(4, "network_policy_id");
          f.networkPolicyId = string(p, name);
          break;
        case "destination_type":
          f.once(5, "destination_type");
          f.destinationType = string(p, name);
          break;
        case "destination":
          f.once(6, "destination");
          f.destination = string(p, name);
          break;
        case "access_type":
          f.once(7, "access_type");
          f.accessType = string(p, name);
          break;
        case "network_source_type":
          f.once(8, "network_source_type");
          f.networkSourceType = string(p, name);
          break;
        case "port":
          f.once(9, "port");
          f.port = toInt(integer(p, name, 65535));
          break;
        case "protocol":
          f.once(10, "protocol");
          f.protocol = string(p, name);
          break;
        case "reason":
          f.once(11, "reason");
          f.reason = string(p, name);
          break;
        case "count":
          f.once(12, "count");
          f.count = integer(p, name, Long.MAX_VALUE);
          break;
        case "dns_event":
          f.once(13, "dns_event");
          readDns(p, f);
          break;
        case "ip_event":
          f.once(14, "ip_event");
          readIp(p, f);
          break;
        case "storage_event":
          f.once(15, "storage_event");
          readStorage(p, f);
          break;
        case "caller":
          f.once(16, "caller");
          readCaller(p, f);
          break;
        case "process":
          f.once(17, "process");
          readProcess(p, f);
          break;
        default:
          p.skipChildren(); // a field a newer agent added: see the class comment
      }
    }
  }

  private static void readDns(JsonParser p, Fields f) throws IOException, RecordFormatException {
    if (!startObject(p, "dns_event")) {
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "domain_name":
          f.once(18, "dns_event.domain_name");
          f.dnsDomainName = string(p, "dns_event.domain_name");
          break;
        case "rcode":
          f.once(19, "dns_event.rcode");
          f.dnsRcode = toInt(integer(p, "dns_event.rcode", 65535));
          break;
        default:
          p.skipChildren();
      }
    }
  }

  private static void readIp(JsonParser p, Fields f) throws IOException, RecordFormatException {
    if (!startObject(p, "ip_event")) {
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("ip_address")) {
        f.once(33, "ip_event.ip_address");
        f.ipAddress = string(p, "ip_event.ip_address");
      } else {
        p.skipChildren();
      }
    }
  }

  private static void readStorage(JsonParser p, Fields f)
      throws IOException, RecordFormatException {
    if (!startObject(p, "storage_event")) {
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "hostname":
          f.once(20, "storage_event.hostname");
          f.storageHostname = string(p, "storage_event.hostname");
          break;
        case "path":
          f.once(21, "storage_event.path");
          f.storagePath = string(p, "storage_event.path");
          break;
        case "rejection_reason":
          f.once(22, "storage_event.rejection_reason");
          f.storageRejectionReason = string(p, "storage_event.rejection_reason");
          break;
        default:
          p.skipChildren();
      }
    }
  }

  private static void readCaller(JsonParser p, Fields f) throws IOException, RecordFormatException {
    if (!startObject(p, "caller")) {
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "class":
          f.once(23, "caller.class");
          f.callerClass = string(p, "caller.class");
          break;
        case "method":
          f.once(24, "caller.method");
          f.callerMethod = string(p, "caller.method");
          break;
        case "line":
          f.once(25, "caller.line");
          f.callerLine = toInt(integer(p, "caller.line", Integer.MAX_VALUE));
          break;
        case "code_source":
          f.once(26, "caller.code_source");
          f.callerCodeSource = string(p, "caller.code_source");
          break;
        case "user_code":
          f.once(27, "caller.user_code");
          f.callerUserCode = bool(p, "caller.user_code");
          break;
        default:
          p.skipChildren();
      }
    }
  }

  private static void readProcess(JsonParser p, Fields f)
      throws IOException, RecordFormatException {
    if (!startObject(p, "process")) {
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "pid":
          f.once(28, "process.pid");
          f.processPid = integer(p, "process.pid", Long.MAX_VALUE);
          break;
        case "host":
          f.once(29, "process.host");
          f.processHost = string(p, "process.host");
          break;
        case "jvm_role":
          f.once(30, "process.jvm_role");
          f.processJvmRole = string(p, "process.jvm_role");
          break;
        case "spark_app_id":
          f.once(31, "process.spark_app_id");
          f.processSparkAppId = string(p, "process.spark_app_id");
          break;
        case "spark_executor_id":
          f.once(32, "process.spark_executor_id");
          f.processSparkExecutorId = string(p, "process.spark_executor_id");
          break;
        default:
          p.skipChildren();
      }
    }
  }

  /** True at the start of an object; false for null; an error for anything else. */
  private static boolean startObject(JsonParser p, String field) throws RecordFormatException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return false;
    }
    if (t != JsonToken.START_OBJECT) {
      throw new RecordFormatException(
          "field \"" + field + "\": expected an object or null, got " + describe(t));
    }
    return true;
  }

  private static String string(JsonParser p, String field)
      throws IOException, RecordFormatException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new RecordFormatException(
          "field \"" + field + "\": expected a string or null, got " + describe(t));
    }
    String s = p.getText();
    if (s.length() > MAX_STRING) {
      throw new RecordFormatException(
          "field \"" + field + "\": longer than " + MAX_STRING + " characters");
    }
    return s;
  }

  private static Long integer(JsonParser p, String field, long max)
      throws IOException, RecordFormatException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw new RecordFormatException(
          "field \""
              + field
              + "\": expected an integer or null, got "
              + describe(t)
              + (t == JsonToken.VALUE_STRING ? " \"" + clip(p.getText()) + "\"" : ""));
    }
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
        || p.getLongValue() > max
        || p.getLongValue() < 0) {
      throw new RecordFormatException(
          "field \"" + field + "\": " + clip(p.getText()) + " is out of range (0.." + max + ")");
    }
    return p.getLongValue();
  }

  private static Boolean bool(JsonParser p, String field) throws RecordFormatException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return t == JsonToken.VALUE_TRUE;
    }
    throw new RecordFormatException(
        "field \"" + field + "\": expected true, false or null, got " + describe(t));
  }

  private static Integer toInt(Long v) {
    return v == null ? null : Integer.valueOf(v.intValue());
  }

  private static String require(String field, String value) throws RecordFormatException {
    if (value == null) {
      throw new RecordFormatException("field \"" + field + "\": required");
    }
    return value;
  }

  private static void oneOf(String field, String value, Set<String> allowed)
      throws RecordFormatException {
    if (!allowed.contains(value)) {
      throw new RecordFormatException(
          "field \""
              + field
              + "\": \""
              + clip(value)
              + "\" is not one of "
              + new java.util.TreeSet<>(allowed));
    }
  }

  private static String describe(JsonToken t) {
    switch (t) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
        return "an integer";
      case VALUE_NUMBER_FLOAT:
        return "a decimal number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return t.name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Echoes at most 100 characters of a bad value: the error goes back to the sender and into logs.
   */
  static String clip(String s) {
    String one = s.replaceAll("[\\p{Cntrl}]", "?");
    return one.length() <= 100 ? one : one.substring(0, 100) + "…";
  }
}
