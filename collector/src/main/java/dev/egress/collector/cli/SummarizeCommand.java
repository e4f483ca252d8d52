package dev.egress.collector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egress.collector.record.ViolationRow;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code summarize}: the top destinations, callers, workspaces and reasons, counted as the sum of
 * {@code count} (a folded record stands for its repeats). From a log it counts locally; from the
 * collector it asks {@code /v1/summary}, which counts in the database.
 */
@Command(
    name = "summarize",
    mixinStandardHelpOptions = true,
    description = "Top destinations, callers, workspaces and reasons of a log or of the collector.")
public final class SummarizeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin RecordSource source;

  @Mixin RecordFilter filter;

  @Option(
      names = "--top",
      defaultValue = "10",
      description = "Rows per table (default ${DEFAULT-VALUE}).")
  int top;

  record Row(String key, long count, long records) {}

  private static final Map<String, Function<ViolationRow, String>> DIMENSIONS =
      new LinkedHashMap<>();

  static {
    DIMENSIONS.put("destination", ViolationRow::destination);
    DIMENSIONS.put("caller", r -> r.callerKey() == null ? "?.?" : r.callerKey());
    DIMENSIONS.put("workspace", r -> r.workspaceId() == null ? null : r.workspaceId().toString());
    DIMENSIONS.put("reason", ViolationRow::reason);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    source.check();
    Map<String, List<Row>> tables = new LinkedHashMap<>();
    if (source.isLog()) {
      List<ViolationRow> rows = new ArrayList<>();
      for (ViolationRow r : source.readLog(err)) {
        if (filter.matches(r)) {
          rows.add(r);
        }
      }
      long total = rows.stream().mapToLong(ViolationRow::count).sum();
      out.println(total + " violations in " + rows.size() + " records");
      DIMENSIONS.forEach((name, key) -> tables.put(name, count(rows, key)));
    } else {
      for (String name : DIMENSIONS.keySet()) {
        Map<String, String> params = new LinkedHashMap<>(filter.asParams());
        params.put("by", name);
        params.put("limit", Integer.toString(top));
        JsonNode body = JSON.readTree(source.get("/v1/summary", params, new HashMap<>()));
        List<Row> table = new ArrayList<>();
        for (JsonNode g : body.get("groups")) {
          table.add(
              new Row(
                  g.get("key").isNull() ? null : g.get("key").asText(),
                  g.get("count").asLong(),
                  g.get("records").asLong()));
        }
        tables.put(name, table);
      }
    }
    tables.forEach((name, table) -> print(out, name, table));
    out.flush();
    return 0;
  }

  private List<Row> count(List<ViolationRow> rows, Function<ViolationRow, String> key) {
    Map<String, long[]> sums = new HashMap<>();
    for (ViolationRow r : rows) {
      long[] s = sums.computeIfAbsent(String.valueOf(key.apply(r)), k -> new long[2]);
      s[0] += r.count();
      s[1]++;
    }
    List<Row> table = new ArrayList<>();
    sums.forEach((k, s) -> table.add(new Row(k, s[0], s[1])));
    table.sort(Comparator.comparingLong(Row::count).reversed().thenComparing(Row::key));
    return table.subList(0, Math.min(top, table.size()));
  }

  private static void print(PrintWriter out, String name, List<Row> table) {
    out.println();
    out.println("top " + name + "s:");
    if (table.isEmpty()) {
      out.println("  (none)");
    }
    for (Row r : table) {
      out.printf("  %10d  %s%n", r.count(), r.key() == null ? "(none)" : r.key());
    }
  }
}
