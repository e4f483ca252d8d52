package dev.egress.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a policy document (SPEC section 4) with jackson-core's streaming parser: databind would add
 * about 150 ms to the agent's start-up. Parsing is strict, because a typo in a security policy that
 * is silently ignored (an unknown field, a misspelt mode) fails open; every error names its line,
 * column and JSON path. Fields a Databricks AccountNetworkPolicy API response carries that the
 * engine does not use are accepted.
 */
public final class PolicyParser {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(
              StreamReadFeature
                  .STRICT_DUPLICATE_DETECTION) // {"restriction_mode": A, "restriction_mode": B}
          .build();

  private PolicyParser() {}

  public static PolicyDocument parse(String json) throws PolicyException {
    if (json == null) {
      throw new PolicyException(1, 1, "$", "empty document");
    }
    try (JsonParser p = FACTORY.createParser(json)) {
      return new Reader(p).document();
    } catch (IOException e) {
      throw new PolicyException(1, 1, "$", "cannot read the document: " + e.getMessage(), e);
    }
  }

  /**
   * Reads UTF-8 (a BOM, or UTF-16/32 detected by jackson, is tolerated); does not close {@code in}.
   */
  public static PolicyDocument parse(InputStream in) throws PolicyException {
    if (in == null) {
      throw new PolicyException(1, 1, "$", "empty document");
    }
    try (JsonParser p = FACTORY.createParser(in)) {
      return new Reader(p).document();
    } catch (IOException e) {
      throw new PolicyException(1, 1, "$", "cannot read the document: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface ElementReader {
    void read() throws PolicyException, IOException;
  }

  /** The mutable state of one parse; one instance per document, never shared. */
  private static final class Reader {
    private final JsonParser p;
    private final Set<String> policyIds = new HashSet<>();
    private final Set<Long> workspaceIds = new HashSet<>();
    private final List<PendingBinding> bindings = new ArrayList<>();
    private JsonLocation fieldLocation;

    private record PendingBinding(
        String policyId, long workspaceId, int line, int column, String path) {}

    /** The fields of one AccountNetworkPolicy as they are read. */
    private static final class PolicyFields {
      String id;
      RestrictionMode mode;
      boolean networkAccessSeen;
      final List<String> allowed = new ArrayList<>();
      final List<String> blocked = new ArrayList<>();
      final List<StorageDestination> storage = new ArrayList<>();
      final Set<Long> workspaces = new LinkedHashSet<>();
      EnforcementMode enforcement;
      final Set<Product> filter = EnumSet.noneOf(Product.class);

      NetworkPolicy build() {
        return new NetworkPolicy(
            id, mode, allowed, blocked, storage, workspaces, enforcement, filter);
      }
    }

    Reader(JsonParser p) {
      this.p = p;
    }

    PolicyDocument document() throws PolicyException, IOException {
      try {
        PolicyDocument doc = readDocument();
        JsonToken extra = p.nextToken();
        if (extra != null) {
          throw error("trailing content after the policy document: " + describe(extra));
        }
        return doc;
      } catch (JsonProcessingException e) {
        JsonLocation loc = e.getLocation() != null ? e.getLocation() : p.currentLocation();
        String msg = e.getOriginalMessage();
        if (msg != null && msg.startsWith("Unexpected end-of-input")) {
          msg = "truncated document: " + msg;
        }
        throw new PolicyException(line(loc), column(loc), path(p.getParsingContext()), msg, e);
      }
    }

    private PolicyDocument readDocument() throws PolicyException, IOException {
      JsonToken t = p.nextToken();
      if (t == null) {
        JsonLocation loc = p.currentLocation();
        throw new PolicyException(line(loc), column(loc), "$", "empty document");
      }
      expect(JsonToken.START_OBJECT, "an object (a policy set or an AccountNetworkPolicy)");
      JsonLocation start = p.currentTokenLocation();
      String accountId = null;
      List<NetworkPolicy> policies = new ArrayList<>();
      List<WorkspaceBinding> workspaces = new ArrayList<>();
      PlatformStorage platform = PlatformStorage.EMPTY;
      PolicyFields bare = new PolicyFields();
      String setField = null;
      String bareField = null;
      while (nextField()) {
        String f = p.currentName();
        boolean setKind =
            f.equals("network_policies") || f.equals("workspaces") || f.equals("platform");
        boolean bareKind = f.equals("network_policy_id") || f.equals("egress");
        if (setKind) {
          setField = f;
        }
        if (bareKind) {
          bareField = f;
        }
        if (setField != null && bareField != null) {
          throw error(
              "\""
                  + f
                  + "\" mixes a policy set (\""
                  + setField
                  + "\") with a bare AccountNetworkPolicy (\""
                  + bareField
                  + "\")");
        }
        value();
        switch (f) {
          case "account_id":
            accountId = optionalString();
            break;
          case "network_policies":
            array(() -> policies.add(policy()));
            break;
          case "workspaces":
            array(() -> workspaces.add(workspace()));
            break;
          case "platform":
            platform = platform();
            break;
          case "network_policy_id":
            bare.id = optionalString();
            break;
          case "egress":
            egress(bare);
            break;
          default:
            throw unknownField(
                f,
                "account_id, network_policies, workspaces, platform (a policy set) or "
                    + "network_policy_id, egress (an AccountNetworkPolicy)");
        }
      }
      if (setField == null && bareField == null) {
        throw new PolicyException(
            line(start),
            column(start),
            "$",
            "neither a policy set (network_policies, "
                + "workspaces, platform) nor an AccountNetworkPolicy (network_policy_id, egress)");
      }
      if (bareField != null) {
        if (!bare.networkAccessSeen) {
          throw new PolicyException(
              line(start),
              column(start),
              "$.egress.network_access.restriction_mode",
              "missing required field \"restriction_mode\"");
        }
        return new PolicyDocument(
            accountId, List.of(bare.build()), List.of(), PlatformStorage.EMPTY, false);
      }
      for (PendingBinding b : bindings) {
        if (!policyIds.contains(b.policyId())) {
          throw new PolicyException(
              b.line(),
              b.column(),
              b.path(),
              "workspace "
                  + b.workspaceId()
                  + " is bound to unknown network policy \""
                  + b.policyId()
                  + "\" (known: "
                  + String.join(", ", new java.util.TreeSet<>(policyIds))
                  + ")");
        }
      }
      return new PolicyDocument(accountId, policies, workspaces, platform, true);
    }

    // ------------------------------------------------------------------------------------------
    // policies

    private NetworkPolicy policy() throws PolicyException, IOException {
      expect(JsonToken.START_OBJECT, "an AccountNetworkPolicy object");
      JsonLocation start = p.currentTokenLocation();
      String startPath = path(p.getParsingContext().getParent());
      PolicyFields fields = new PolicyFields();
      while (nextField()) {
        String f = p.currentName();
        value();
        switch (f) {
          case "network_policy_id":
            fields.id = string();
            if (!policyIds.add(fields.id)) {
              throw error("duplicate network_policy_id \"" + fields.id + "\"");
            }
            break;
          case "account_id": // carried by the API response; the set's account_id is the one used
            optionalString();
            break;
          case "egress":
            egress(fields);
            break;
          default:
            throw unknownField(f, "network_policy_id, egress, account_id");
        }
      }
      if (fields.id == null) {
        throw new PolicyException(
            line(start),
            column(start),
            startPath + ".network_policy_id",
            "missing required field \"network_policy_id\"");
      }
      if (!fields.networkAccessSeen) {
        throw new PolicyException(
            line(start),
            column(start),
            startPath + ".egress.network_access.restriction_mode",
            "missing required field \"restriction_mode\"");
      }
      return fields.build();
    }

    private void egress(PolicyFields fields) throws PolicyException, IOException {
      expect(JsonToken.START_OBJECT, "an object");
      while (nextField()) {
        String f = p.currentName();
        value();
        if (!f.equals("network_access")) {
          throw unknownField(f, "network_access");
        }
        networkAccess(fields);
      }
    }

    private void networkAccess(PolicyFields fields) throws PolicyException, IOException {
      expect(JsonToken.START_OBJECT, "an object");
      JsonLocation start = p.currentTokenLocation();
      String startPath = path(p.getParsingContext());
      fields.networkAccessSeen = true;
      while (nextField()) {
        String f = p.currentName();
        value();
        switch (f) {
          case "restriction_mode":
            fields.mode = enumValue(RestrictionMode.class);
            break;
          case "allowed_internet_destinations":
            array(() -> fields.allowed.add(internetDestination()));
            break;
          case "blocked_internet_destinations":
            array(() -> fields.blocked.add(internetDestination()));
            break;
          case "allowed_storage_destinations":
            array(() -> fields.storage.add(storageDestination()));
            break;
          case "allowed_databricks_destinations":
            array(() -> databricksDestination(fields.workspaces));
            break;
          case "policy_enforcement":
            policyEnforcement(fields);
            break;
          default:
            throw unknownField(
                f,
                "restriction_mode, allowed_internet_destinations, blocked_internet_destinations, "
                    + "allowed_storage_destinations, allowed_databricks_destinations, policy_enforcement");
        }
      }
      if (fields.mode == null) {
        throw new PolicyException(
            line(start),
            column(start),
            startPath + ".restriction_mode",
            "missing required field \"restriction_mode\" (FULL_ACCESS or RESTRICTED_ACCESS)");
      }
    }

    private String internetDestination() throws PolicyException, IOException {
      expect(JsonToken.START_OBJECT, "an internet destination object");
      JsonLocation start = p.currentTokenLocation();
      String startPath = path(p.getParsingContext().getParent());
      String destination = null;
      while (nextField()) {
        String f = p.currentName();
        value();
        switch (f) {
          case "destination":
            String raw = string();
            destination = HostNames.canonicalPattern(raw);
            if (destination == null) {
              throw error(
                  "invalid host name \""
                      + HostNames.sanitize(raw)
                      + "\" (expected a DNS name such as "
                      + "\"pypi.org\" or a wildcard such as \"*.example.com\")");
            }
            break;
          case "internet_destination_type":
            expectEnum("DNS_NAME");
            break;
          default:
            throw unknownField(f, "destination, internet_destination_type");
        }
      }
      if (destination == null) {
        throw new PolicyException(
            line(start),
            column(start),
            startPath + ".destination",
            "missing required field \"destination\"");
      }
      return destination;
    }

    private void databricksDestination(Set<Long> into) throws PolicyException, IOException {
      expect(JsonToken.START_OBJECT, "an object with workspace_ids");
      while (nextField()) {
        String f = p.currentName();
        value();
        if (!f.equals("workspace_ids")) {
          throw unknownField(f, "workspace_ids");
        }
        array(() -> into.add(id()));
      }
    }

    private void policyEnforcement(PolicyFields fields) throws PolicyException, IOException {
      if (isNull()) {
        return;
      }
      expect(JsonToken.START_OBJECT, "an object");
      while (nextField()) {
        String f = p.currentName();
        value();
        switch (f) {
          case "enforcement_mode":
            fields.enforcement = isNull() ? null : enumValue(EnforcementMode.class);
            break;
          case "dry_run_mode_product_filter":
            array(() -> fields.filter.add(enumValue(Product.class)));
            break;
          default:
            throw unknownField(f, "enforcement_mode, dry_run_mode_product_filter");
        }
      }
    }

    private StorageDestination storageDestination() throws PolicyException, IOException {
      expect(JsonToken.START_OBJECT, "a storage destination object");
      JsonLocation start = p.currentTokenLocation();
      String startPath = path(p.getParsingContext().getParent());
      String account = null;
      String service = null;
      String bucket = null;
      String region = null;
      StorageType type = null;
      while (nextField()) {
        String f = p.currentName();
        value();
        switch (f) {
          case "azure_storage_account":
            account =
                checked(
                    optionalString(),
                    "an Azure storage account name (3 to 24 letters and digits)",
                    3,
                    24,
                    false,
                    false);
            break;
          case "azure_storage_service":
            service = optionalString();
            if (service != null) {
              service = service.toLowerCase(Locale.ROOT);
              if (StorageHosts.serviceIndex(service, 0, service.length()) < 0) {
                throw error(
                    "unknown value \""
                        + HostNames.sanitize(service)
                        + "\" (expected "
                        + or(StorageHosts.AZURE_SERVICES)
                        + ")");
              }
            }
            break;
          case "bucket_name":
            bucket = checked(optionalString(), "a bucket name", 3, 222, true, true);
            break;
          case "region":
            region = checked(optionalString(), "a region such as us-west-2", 1, 63, false, true);
            break;
          case "storage_destination_type":
            type = enumValue(StorageType.class);
            break;
          default:
            throw unknownField(
                f,
                "azure_storage_account, azure_storage_service, bucket_name, region, storage_destination_type");
        }
      }
      String problem = null;
      if (type == null) {
        problem = "missing required field \"storage_destination_type\"";
      } else if (type == StorageType.AZURE_STORAGE
          && (account == null || bucket != null || region != null)) {
        problem =
            "AZURE_STORAGE needs azure_storage_account (and optionally azure_storage_service), "
                + "not bucket_name or region";
      } else if (type != StorageType.AZURE_STORAGE
          && (bucket == null || account != null || service != null)) {
        problem = type + " needs bucket_name (and optionally region), not azure_storage_* fields";
      } else if (type == StorageType.GOOGLE_CLOUD_STORAGE && region != null) {
        region = null; // GCS host names carry no region: the bucket alone identifies the storage
      }
      if (problem != null) {
        throw new PolicyException(line(start), column(start), startPath, problem);
      }
      return new StorageDestination(type, account, service, bucket, region);
    }

    // ------------------------------------------------------------------------------------------
    // workspaces

    private WorkspaceBinding workspace() throws PolicyException, IOException {
      expect(JsonToken.START_OBJECT, "a workspace object");
      JsonLocation start = p.currentTokenLocation();
      String startPath = path(p.getParsingContext().getParent());
      Long id = null;
      String policyId = null;
      JsonLocation policyLoc = null;
      String policyPath = null;
      List<String> hosts = new ArrayList<>();
      List<StorageDestination> storage = new ArrayList<>();
      List<ExternalLocation> locations = new ArrayList<>();
      List<UcConnection> connections = new ArrayList<>();
      while (nextField()) {
        String f = p.currentName();
        value();
        switch (f) {
          case "workspace_id":
            id = id();
            if (!workspaceIds.add(id)) {
              throw error("duplicate workspace_id " + id);
            }
            break;
          case "network_policy_id":
            policyId = optionalString();
            policyLoc = p.currentTokenLocation();
            policyPath = path(p.getParsingContext());
            break;
          case "deployment_hosts":
            array(() -> hosts.add(host()));
            break;
          case "workspace_storage":
            array(() -> storage.add(storageDestination()));
            break;
          case "unity_catalog":
            unityCatalog(locations, connections);
            break;
          default:
            throw unknownField(
                f,
                "workspace_id, network_policy_id, deployment_hosts, workspace_storage, "
                    + "unity_catalog");
        }
      }
      if (id == null) {
        throw new PolicyException(
            line(start),
            column(start),
            startPath + ".workspace_id",
            "missing required field \"workspace_id\"");
      }
      if (policyId != null) {
        // Policies may come after the workspaces in the file: checked once the whole document is
        // read.
        bindings.add(
            new PendingBinding(policyId, id, line(policyLoc), column(policyLoc), policyPath));
      }
      return new WorkspaceBinding(id, policyId, hosts, storage, locations, connections);
    }

    private void unityCatalog(List<ExternalLocation> locations, List<UcConnection> connections)
        throws PolicyException, IOException {
      if (isNull()) {
        return;
      }
      expect(JsonToken.START_OBJECT, "an object");
      while (nextField()) {
        String f = p.currentName();
        value();
        switch (f) {
          case "external_locations":
            array(() -> locations.add(externalLocation()));
            break;
          case "connections":
            array(() -> connections.add(connection()));
            break;
          default:
            throw unknownField(f, "external_locations, connections");
        }
      }
    }

    private ExternalLocation externalLocation() throws PolicyException, IOException {
      expect(JsonToken.START_OBJECT, "an external location object");
      JsonLocation start = p.currentTokenLocation();
      String startPath = path(p.getParsingContext().getParent());
      String name = null;
      String url = null;
      StorageDestination storage = null;
      while (nextField()) {
        String f = p.currentName();
        value();
        switch (f) {
          case "name":
            name = optionalString();
            break;
          case "url":
            url = string();
            try {
              storage = StorageUrls.parse(url);
            } catch (IllegalArgumentException e) {
              throw error(
                  "invalid external location URL \""
                      + HostNames.sanitize(url)
                      + "\": "
                      + e.getMessage());
            }
            break;
          default:
            throw unknownField(f, "name, url");
        }
      }
      if (url == null) {
        throw new PolicyException(
            line(start), column(start), startPath + ".url", "missing required field \"url\"");
      }
      return new ExternalLocation(name, url, storage);
    }

    private UcConnection connection() throws PolicyException, IOException {
      expect(JsonToken.START_OBJECT, "a connection object");
      String name = null;
      String type = null;
      Map<String, String> options = new LinkedHashMap<>();
      while (nextField()) {
        String f = p.currentName();
        value();
        switch (f) {
          case "name":
            name = optionalString();
            break;
          case "connection_type":
            type = optionalString();
            break;
          case "options":
            options(options);
            break;
          default:
            throw unknownField(f, "name, connection_type, options");
        }
      }
      return new UcConnection(name, type, options);
    }

    /**
     * Connection options are free-form (they differ per connection type); only {@code host} is
     * checked.
     */
    private void options(Map<String, String> into) throws PolicyException, IOException {
      expect(JsonToken.START_OBJECT, "an object");
      while (nextField()) {
        String f = p.currentName();
        value();
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
          continue;
        }
        if (!t.isScalarValue()) {
          throw error("expected a string, number or boolean, found " + describe(t));
        }
        String v = p.getText();
        if (f.equals("host")) {
          v = hostOrAddress(v);
        }
        into.put(f, v);
      }
    }

    private String hostOrAddress(String raw) throws PolicyException {
      String c = HostNames.canonical(raw);
      if (c != null) {
        return c;
      }
      InetAddress a = IpLiterals.parseV6(raw);
      if (a != null) {
        return a.getHostAddress();
      }
      throw error("invalid host name \"" + HostNames.sanitize(raw) + "\"");
    }

    private PlatformStorage platform() throws PolicyException, IOException {
      if (isNull()) {
        return PlatformStorage.EMPTY;
      }
      expect(JsonToken.START_OBJECT, "an object");
      List<StorageDestination> system = new ArrayList<>();
      List<StorageDestination> samples = new ArrayList<>();
      while (nextField()) {
        String f = p.currentName();
        value();
        switch (f) {
          case "system_tables_storage":
            array(() -> system.add(storageDestination()));
            break;
          case "sample_datasets_storage":
            array(() -> samples.add(storageDestination()));
            break;
          default:
            throw unknownField(f, "system_tables_storage, sample_datasets_storage");
        }
      }
      return new PlatformStorage(system, samples);
    }

    // ------------------------------------------------------------------------------------------
    // scalars

    private String host() throws PolicyException, IOException {
      String raw = string();
      String c = HostNames.canonical(raw);
      if (c == null) {
        throw error("invalid host name \"" + HostNames.sanitize(raw) + "\"");
      }
      return c;
    }

    private long id() throws PolicyException, IOException {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
        throw error(
            "expected a workspace id (a positive integer), found " + describe(p.currentToken()));
      }
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() <= 0) {
        throw error(
            "workspace id " + p.getText() + " out of range (expected a positive 64-bit integer)");
      }
      return p.getLongValue();
    }

    private String string() throws PolicyException, IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw error("expected a string, found " + describe(p.currentToken()));
      }
      return p.getText();
    }

    /** A string, or null for JSON null (an API response may spell an absent optional field so). */
    private String optionalString() throws PolicyException, IOException {
      return isNull() ? null : string();
    }

    private String checked(String v, String what, int min, int max, boolean dots, boolean dashes)
        throws PolicyException {
      if (v == null) {
        return null;
      }
      String s = v.toLowerCase(Locale.ROOT);
      boolean ok = s.length() >= min && s.length() <= max;
      for (int i = 0; ok && i < s.length(); i++) {
        char c = s.charAt(i);
        ok =
            (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || (dots && (c == '.' || c == '_'))
                || (dashes && c == '-');
      }
      if (!ok) {
        throw error("invalid value \"" + HostNames.sanitize(v) + "\" (expected " + what + ")");
      }
      return s;
    }

    private <E extends Enum<E>> E enumValue(Class<E> type) throws PolicyException, IOException {
      String s = string();
      for (E e : type.getEnumConstants()) {
        if (e.name().equals(s)) {
          return e;
        }
      }
      E[] all = type.getEnumConstants();
      String[] names = new String[all.length];
      for (int i = 0; i < all.length; i++) {
        names[i] = all[i].name();
      }
      throw error("unknown value \"" + HostNames.sanitize(s) + "\" (expected " + or(names) + ")");
    }

    private void expectEnum(String only) throws PolicyException, IOException {
      String s = string();
      if (!s.equals(only)) {
        throw error("unknown value \"" + HostNames.sanitize(s) + "\" (expected " + only + ")");
      }
    }

    private static String or(String[] names) {
      if (names.length == 1) {
        return names[0];
      }
      return String.join(", ", java.util.Arrays.copyOf(names, names.length - 1))
          + " or "
          + names[names.length - 1];
    }

    // ------------------------------------------------------------------------------------------
    // structure

    private boolean nextField() throws PolicyException, IOException {
      JsonToken t = p.nextToken();
      if (t == JsonToken.FIELD_NAME) {
        fieldLocation = p.currentTokenLocation(); // an unknown field is reported where its name is
        return true;
      }
      if (t == JsonToken.END_OBJECT) {
        return false;
      }
      throw error("truncated document: unexpected end of input");
    }

    private void value() throws PolicyException, IOException {
      if (p.nextToken() == null) {
        throw error("truncated document: unexpected end of input");
      }
    }

    private boolean isNull() {
      return p.currentToken() == JsonToken.VALUE_NULL;
    }

    /**
     * An array whose elements {@code element} reads, the current token being each element's first;
     * null is empty.
     */
    private void array(ElementReader element) throws PolicyException, IOException {
      if (isNull()) {
        return;
      }
      expect(JsonToken.START_ARRAY, "an array");
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw error("truncated document: unexpected end of input");
        }
        element.read();
      }
    }

    private void expect(JsonToken t, String what) throws PolicyException {
      if (p.currentToken() != t) {
        throw error("expected " + what + ", found " + describe(p.currentToken()));
      }
    }

    private PolicyException unknownField(String f, String known) {
      // The parser has moved on to the value; a container value has opened a child context.
      JsonStreamContext ctx = p.getParsingContext();
      if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
        ctx = ctx.getParent();
      }
      return new PolicyException(
          line(fieldLocation),
          column(fieldLocation),
          path(ctx),
          "unknown field \"" + HostNames.sanitize(f) + "\" (expected " + known + ")");
    }

    private PolicyException error(String problem) {
      JsonLocation loc = p.currentTokenLocation();
      return new PolicyException(line(loc), column(loc), path(p.getParsingContext()), problem);
    }

    private static int line(JsonLocation loc) {
      return loc == null ? 1 : Math.max(1, loc.getLineNr());
    }

    private static int column(JsonLocation loc) {
      return loc == null ? 1 : Math.max(1, loc.getColumnNr());
    }

    private static String describe(JsonToken t) {
      if (t == null) {
        return "the end of the document";
      }
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
          return "a number";
        case VALUE_TRUE:
        case VALUE_FALSE:
          return "a boolean";
        case VALUE_NULL:
          return "null";
        default:
          return t.asString() == null ? t.name() : "'" + t.asString() + "'";
      }
    }

    /**
     * {@code $.network_policies[1].egress.network_access.restriction_mode} from jackson's context
     * chain.
     */
    static String path(JsonStreamContext ctx) {
      List<JsonStreamContext> chain = new ArrayList<>();
      for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
        chain.add(c);
      }
      StringBuilder b = new StringBuilder("$");
      for (int i = chain.size() - 1; i >= 0; i--) {
        JsonStreamContext c = chain.get(i);
        if (c.inArray()) {
          if (c.getEntryCount() > 0) { // none yet: the array itself (getCurrentIndex() would say 0)
            b.append('[').append(c.getCurrentIndex()).append(']');
          }
        } else if (c.getCurrentName() != null) {
          String n = c.getCurrentName();
          if (n.chars().allMatch(ch -> ch == '_' || Character.isLetterOrDigit(ch) && ch < 128)) {
            b.append('.').append(n);
          } else {
            b.append("[\"").append(HostNames.sanitize(n)).append("\"]");
          }
        }
      }
      return b.toString();
    }
  }
}
