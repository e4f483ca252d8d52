package dev.egress.collector.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.egress.collector.record.RecordWriter;
import dev.egress.collector.record.ViolationRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tail}: prints the records of a log or of the collector that match the filters, one line
 * each, and with {@code --follow} keeps printing new ones. A followed log that shrinks (rotated or
 * truncated) is read again from its start.
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description =
        "Print (and with --follow, keep printing) violation records matching the filters.")
public final class TailCommand implements Callable<Integer> {
  /**
   * Late records (an agent's spool sent after an outage) within this window are still shown when
   * following.
   */
  private static final long FOLLOW_WINDOW_MILLIS = 5 * 60_000;

  @Spec CommandSpec spec;

  @Mixin RecordSource source;

  @Mixin RecordFilter filter;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep reading: new lines of the log, new records of the collector.")
  boolean follow;

  @Option(
      names = "--json",
      description = "Print each record as its JSON line instead of a summary line.")
  boolean json;

  @Option(
      names = "--poll-millis",
      defaultValue = "1000",
      description = "How often --follow looks for more.")
  long pollMillis;

  private PrintWriter out;
  private PrintWriter err;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    err = spec.commandLine().getErr();
    source.check();
    if (source.isLog()) {
      tailLog();
    } else {
      tailCollector();
    }
    out.flush();
    return 0;
  }

  private void print(ViolationRow r) {
    if (!filter.matches(r)) {
      return;
    }
    if (json) {
      StringWriter w = new StringWriter();
      try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
        RecordWriter.write(g, r, false);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      out.println(w);
    } else {
      out.println(RecordLines.format(r));
    }
  }

  private void tailLog() throws IOException, InterruptedException {
    long position = 0;
    int lineNo = 0;
    StringBuilder partial = new StringBuilder();
    do {
      try (RandomAccessFile f = new RandomAccessFile(source.log.toFile(), "r")) {
        if (f.length() < position) { // rotated or truncated: start over
          position = 0;
          lineNo = 0;
          partial.setLength(0);
        }
        f.seek(position);
        byte[] buf = new byte[(int) Math.min(f.length() - position, 16 * 1024 * 1024)];
        f.readFully(buf);
        position += buf.length;
        partial.append(new String(buf, StandardCharsets.UTF_8));
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
          String line = partial.substring(0, nl);
          partial.delete(0, nl + 1);
          ViolationRow r = source.parseLine(line, ++lineNo, err);
          if (r != null) {
            print(r);
          }
        }
      }
      out.flush();
      if (follow) {
        Thread.sleep(pollMillis);
      }
    } while (follow);
    if (partial.length() > 0) { // a last line without its newline
      ViolationRow r = source.parseLine(partial.toString(), ++lineNo, err);
      if (r != null) {
        print(r);
      }
    }
  }

  private void tailCollector() throws IOException, InterruptedException {
    Map<String, String> params = new LinkedHashMap<>(filter.asParams());
    Set<String> seen = new HashSet<>();
    Deque<ViolationRow> window = new ArrayDeque<>();
    long[] newest = {Long.MIN_VALUE};
    do {
      source.queryCollector(
          params,
          r -> {
            if (seen.add(r.eventId())) {
              print(r);
              window.add(r);
              newest[0] = Math.max(newest[0], r.eventTimeMs());
            }
          },
          err);
      out.flush();
      if (follow) {
        // Ask again from a little before the newest record seen; forget what is older than that.
        long from =
            newest[0] == Long.MIN_VALUE ? filter.sinceMillis() : newest[0] - FOLLOW_WINDOW_MILLIS;
        while (!window.isEmpty() && window.peekFirst().eventTimeMs() < from) {
          seen.remove(window.pollFirst().eventId());
        }
        if (from != Long.MIN_VALUE) {
          params.put("from", Long.toString(Math.max(from, filter.sinceMillis())));
        }
        Thread.sleep(pollMillis);
      }
    } while (follow);
  }
}
