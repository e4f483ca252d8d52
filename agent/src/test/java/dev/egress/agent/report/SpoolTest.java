package dev.egress.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir Path dir;

  @Test
  void segmentsComeBackOldestFirstAndWhole() throws Exception {
    Spool spool = new Spool(dir, 1 << 20);
    spool.append(List.of("{\"a\":1}", "{\"a\":2}"));
    spool.append(List.of("{\"a\":3}"));
    List<Path> pending = spool.pending();
    assertEquals(2, pending.size());
    assertEquals(List.of("{\"a\":1}", "{\"a\":2}"), Spool.read(pending.get(0)));
    assertEquals(List.of("{\"a\":3}"), Spool.read(pending.get(1)));
    try (var files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "no half-written segment");
    }
  }

  @Test
  void overTheLimitTheOldestAreEvictedAndCounted() throws Exception {
    Spool spool = new Spool(dir, 2_000);
    String line = "{\"pad\":\"" + "x".repeat(90) + "\"}";
    for (int i = 0; i < 50; i++) {
      spool.append(List.of(line, line));
    }
    long bytes = 0;
    for (Path p : spool.pending()) {
      bytes += Files.size(p);
    }
    assertTrue(bytes <= 2_000, "spool holds " + bytes + " bytes");
    long kept = spool.pending().size() * 2L;
    assertEquals(100, kept + spool.evictedRecords(), "every record is either kept or counted");
  }

  @Test
  void segmentsOfADeadJvmAreTakenOverAndThoseOfALiveOneAreNot() throws Exception {
    Spool spool = new Spool(dir, 1 << 20);
    long dead = deadPid();
    long live = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
    Files.writeString(dir.resolve("seg-0000000000001-" + dead + "-1.ndjson"), "{\"old\":1}\n");
    Files.writeString(dir.resolve("seg-0000000000002-" + live + "-1.ndjson"), "{\"other\":1}\n");
    List<String> names = new ArrayList<>();
    for (Path p : spool.pending()) {
      names.add(p.getFileName().toString());
    }
    assertEquals(List.of("seg-0000000000001-" + dead + "-1.ndjson"), names);
  }

  private static long deadPid() {
    for (long pid = 4_000_000; pid > 3_000_000; pid--) {
      if (ProcessHandle.of(pid).isEmpty()) {
        return pid;
      }
    }
    throw new IllegalStateException("no free pid");
  }
}
