package dev.egress.collector.cli;

import dev.egress.collector.record.RecordFormatException;
import dev.egress.collector.record.RecordReader;
import dev.egress.collector.record.ViolationRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * Where the tools read records from: a local JSONL violation log ({@code --log}) or the collector's
 * query API ({@code --collector URL --token T}). A mixin, so that every tool spells these options
 * the same way. A line of a log that is not a valid record is reported on stderr with its line
 * number and skipped: a log cut short by a crash must still be readable.
 */
public final class RecordSource {
  @Option(names = "--log", description = "A JSONL violation log (violations.log).")
  Path log;

  @Option(
      names = "--collector",
      description = "The collector's base URL, e.g. http://collector:8470.")
  URI collector;

  @Option(
      names = "--token",
      description = "Bearer token for --collector (or env EGRESS_COLLECTOR_TOKEN).")
  String token;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  void check() {
    if ((log == null) == (collector == null)) {
      throw new IllegalArgumentException("give exactly one of --log FILE or --collector URL");
    }
  }

  boolean isLog() {
    return log != null;
  }

  /** Every valid record of the log file, in file order. */
  List<ViolationRow> readLog(PrintWriter err) throws IOException {
    List<ViolationRow> rows = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        ViolationRow row = parseLine(line, n, err);
        if (row != null) {
          rows.add(row);
        }
      }
    }
    return rows;
  }

  ViolationRow parseLine(String line, int lineNo, PrintWriter err) {
    if (line.isBlank()) {
      return null;
    }
    try {
      return RecordReader.read(line);
    } catch (RecordFormatException e) {
      err.println(log + ":" + lineNo + ": skipped: " + e.getMessage());
      return null;
    }
  }

  /** GETs a path of the collector with query parameters (null values left out); the body on 200. */
  String get(String path, Map<String, String> params, Map<String, String> responseHeaders)
      throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (e.getValue() != null) {
        q.append(q.length() == 0 ? "?" : "&")
            .append(e.getKey())
            .append('=')
            .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      }
    }
    String base = collector.toString().replaceAll("/+$", "");
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(base + path + q)).timeout(Duration.ofSeconds(60));
    String t = token != null ? token : System.getenv("EGRESS_COLLECTOR_TOKEN");
    if (t != null) {
      req.header("Authorization", "Bearer " + t);
    }
    HttpResponse<String> resp = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 200) {
      throw new IOException(collector + path + ": HTTP " + resp.statusCode() + ": " + resp.body());
    }
    resp.headers()
        .map()
        .forEach((k, v) -> responseHeaders.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
    return resp.body();
  }

  /**
   * Streams the collector's records matching {@code filters} to {@code sink}, page after page
   * (NDJSON).
   */
  void queryCollector(Map<String, String> filters, Consumer<ViolationRow> sink, PrintWriter err)
      throws IOException, InterruptedException {
    String pageToken = null;
    do {
      Map<String, String> params = new LinkedHashMap<>(filters);
      params.put("format", "ndjson");
      params.put("limit", "10000");
      params.put("page_token", pageToken);
      Map<String, String> headers = new LinkedHashMap<>();
      String body = get("/v1/violations", params, headers);
      int n = 0;
      for (String line : body.split("\n")) {
        ViolationRow r = parseLine(line, ++n, err);
        if (r != null) {
          sink.accept(r);
        }
      }
      pageToken = headers.get("next-page-token");
    } while (pageToken != null);
  }
}
