package dev.egress.collector.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.egress.collector.record.ViolationRow;
import dev.egress.policy.HostNames;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code suggest}: from the DRY_RUN_DENIAL records of a log (what a dry run says would break), the
 * {@code allowed_internet_destinations} that would let that traffic through, as a JSON snippet to
 * review and paste into a policy. Exact names by default; {@code --wildcard-min N} collapses N or
 * more distinct names under one parent domain into {@code *.parent} (never a top-level domain:
 * {@code *.com} is no policy).
 *
 * <p>Only what an allowlist can fix is suggested: {@code not-allowed} names, and for {@code
 * direct-storage-access} the exact storage host (SPEC section 5: only an exact FQDN lets user code
 * reach storage; a wildcard does not). Blocked destinations, metadata endpoints, other workspaces
 * and bare addresses are listed on stderr instead.
 */
@Command(
    name = "suggest",
    mixinStandardHelpOptions = true,
    description = "Suggest allowed_internet_destinations from a log's DRY_RUN_DENIAL records.")
public final class SuggestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RecordSource source;

  @Option(names = "--workspace", description = "Only records of this workspace.")
  Long workspace;

  @Option(
      names = "--wildcard-min",
      description = "Collapse N or more names under one parent domain into *.parent.")
  Integer wildcardMin;

  @Option(
      names = "--include-drops",
      description = "Also use DROP records (enforced denials), not only dry-run ones.")
  boolean includeDrops;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    source.check();
    List<ViolationRow> rows = new ArrayList<>();
    if (source.isLog()) {
      rows.addAll(source.readLog(err));
    } else {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("workspace_id", workspace == null ? null : workspace.toString());
      params.put("access_type", includeDrops ? null : "DRY_RUN_DENIAL");
      source.queryCollector(params, rows::add, err);
    }
    TreeMap<String, Long> names = new TreeMap<>(); // wildcard-able names and their counts
    TreeMap<String, Long> exact = new TreeMap<>(); // storage hosts: exact only
    TreeMap<String, Long> skipped = new TreeMap<>();
    for (ViolationRow r : rows) {
      if ((!includeDrops && !r.accessType().equals("DRY_RUN_DENIAL"))
          || (workspace != null && !workspace.equals(r.workspaceId()))) {
        continue;
      }
      if (r.reason().equals("not-allowed") && r.destinationType().equals("DNS")) {
        String c = HostNames.canonical(r.destination());
        if (c != null) {
          names.merge(c, r.count(), Long::sum);
          continue;
        }
      }
      if (r.reason().equals("direct-storage-access")
          && r.storageHostname() != null
          && HostNames.canonical(r.storageHostname()) != null) {
        exact.merge(HostNames.canonical(r.storageHostname()), r.count(), Long::sum);
        continue;
      }
      skipped.merge(r.reason() + " " + r.destination(), r.count(), Long::sum);
    }
    TreeSet<String> destinations =
        new TreeSet<>(wildcardMin == null ? names.keySet() : collapse(names.keySet()));
    destinations.addAll(exact.keySet());
    List<Map<String, String>> entries = new ArrayList<>();
    for (String d : destinations) {
      Map<String, String> e = new LinkedHashMap<>();
      e.put("destination", d);
      e.put("internet_destination_type", "DNS_NAME");
      entries.add(e);
    }
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    out.println(json.writeValueAsString(Map.of("allowed_internet_destinations", entries)));
    if (!skipped.isEmpty()) {
      err.println("not suggested (an allowlist entry would not or should not fix these):");
      skipped.forEach((k, n) -> err.println("  " + k + " (" + n + ")"));
    }
    out.flush();
    err.flush();
    return 0;
  }

  /**
   * Names with at least {@code wildcardMin} distinct siblings under one parent become {@code
   * *.parent}.
   */
  private List<String> collapse(java.util.Set<String> all) {
    Map<String, List<String>> byParent = new TreeMap<>();
    for (String n : all) {
      int dot = n.indexOf('.');
      String parent = dot < 0 ? null : n.substring(dot + 1);
      if (parent != null && parent.indexOf('.') > 0) { // "*.example.com" yes, "*.com" never
        byParent.computeIfAbsent(parent, k -> new ArrayList<>()).add(n);
      } else {
        byParent.computeIfAbsent("\0" + n, k -> new ArrayList<>()).add(n); // stays exact
      }
    }
    List<String> result = new ArrayList<>();
    byParent.forEach(
        (parent, children) -> {
          if (!parent.startsWith("\0") && children.size() >= wildcardMin) {
            result.add("*." + parent);
          } else {
            result.addAll(children);
          }
        });
    return result;
  }
}
