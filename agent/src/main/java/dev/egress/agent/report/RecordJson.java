package dev.egress.agent.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A {@link ViolationRecord} as one line of JSON, fields in SPEC section 6 order. The schema is
 * stable: every field is always present, absent values are JSON null, and of the three event
 * objects only the one matching {@code destination_type} is written (the others are null).
 *
 * <p>Only jackson-core's streaming generator: databind would cost ~150 ms of start-up for one flat
 * object.
 */
public final class RecordJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final CharacterEscapes ESCAPES = new LineSafeEscapes();

  /** Exactly milliseconds, always: {@code ISO_INSTANT} would drop {@code .000} and print nanos. */
  static final DateTimeFormatter EVENT_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private RecordJson() {}

  public static String toJson(ViolationRecord r) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setCharacterEscapes(ESCAPES);
      write(g, r);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, ViolationRecord r) throws IOException {
    g.writeStartObject();
    g.writeStringField("event_id", r.eventId());
    g.writeStringField("event_time", EVENT_TIME.format(r.eventTime()));
    g.writeStringField("account_id", r.accountId());
    writeLong(g, "workspace_id", r.workspaceId());
    g.writeStringField("network_policy_id", r.networkPolicyId());
    g.writeStringField("destination_type", r.destinationType());
    g.writeStringField("destination", r.destination());

    String type = r.destinationType();
    ViolationRecord.DnsEvent dns =
        ViolationRecord.DESTINATION_DNS.equals(type) ? r.dnsEvent() : null;
    ViolationRecord.IpEvent ip = ViolationRecord.DESTINATION_IP.equals(type) ? r.ipEvent() : null;
    ViolationRecord.StorageEvent storage =
        ViolationRecord.DESTINATION_STORAGE.equals(type) ? r.storageEvent() : null;
    if (dns == null) {
      g.writeNullField("dns_event");
    } else {
      g.writeObjectFieldStart("dns_event");
      g.writeStringField("domain_name", dns.domainName());
      writeInt(g, "rcode", dns.rcode());
      g.writeEndObject();
    }
    if (ip == null) {
      g.writeNullField("ip_event");
    } else {
      g.writeObjectFieldStart("ip_event");
      g.writeStringField("ip_address", ip.ipAddress());
      g.writeEndObject();
    }
    if (storage == null) {
      g.writeNullField("storage_event");
    } else {
      g.writeObjectFieldStart("storage_event");
      g.writeStringField("hostname", storage.hostname());
      g.writeStringField("path", storage.path());
      g.writeStringField("rejection_reason", storage.rejectionReason());
      g.writeEndObject();
    }

    g.writeStringField("access_type", r.accessType());
    g.writeStringField("network_source_type", r.networkSourceType());
    writeInt(g, "port", r.port());
    g.writeStringField("protocol", r.protocol());
    g.writeStringField("reason", r.reason());

    Caller c = r.caller();
    if (c == null) {
      g.writeNullField("caller");
    } else {
      g.writeObjectFieldStart("caller");
      g.writeStringField("class", c.className());
      g.writeStringField("method", c.method());
      writeInt(g, "line", c.line() < 0 ? null : c.line());
      g.writeStringField("code_source", c.codeSource());
      g.writeBooleanField("user_code", c.userCode());
      g.writeEndObject();
    }

    ProcessInfo p = r.process();
    if (p == null) {
      g.writeNullField("process");
    } else {
      g.writeObjectFieldStart("process");
      writeLong(g, "pid", p.pid());
      g.writeStringField("host", p.host());
      g.writeStringField("jvm_role", p.jvmRole());
      g.writeStringField("spark_app_id", p.sparkAppId());
      g.writeStringField("spark_executor_id", p.sparkExecutorId());
      g.writeEndObject();
    }
    g.writeNumberField("count", r.count());
    g.writeEndObject();
  }

  private static void writeLong(JsonGenerator g, String name, Long v) throws IOException {
    if (v == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, v.longValue());
    }
  }

  private static void writeInt(JsonGenerator g, String name, Integer v) throws IOException {
    if (v == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, v.intValue());
    }
  }

  /**
   * Jackson already escapes control characters (so a newline never ends a line). On top of that,
   * escape what some line-oriented readers still treat as a line end (U+0085, U+2028, U+2029) and
   * every surrogate: a lone surrogate from a hostile string would otherwise turn into '?' or
   * invalid UTF-8 on the way to the file, and escaped pairs round-trip exactly.
   */
  static final class LineSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii = standardAsciiEscapesForJSON();

    LineSafeEscapes() {
      ascii[0x7F] = ESCAPE_STANDARD; // DEL: invisible in a terminal, so make it visible
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch == 0x85 || ch == 0x2028 || ch == 0x2029 || (ch >= 0xD800 && ch <= 0xDFFF)) {
        return new SerializedString(String.format("\\u%04X", ch));
      }
      return null;
    }
  }
}
