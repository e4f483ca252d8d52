package dev.egress.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSinkTest {
  @TempDir Path dir;

  @Test
  void constructorTouchesNothingAndOpenCreatesParentsAndFile() throws IOException {
    Path log = dir.resolve("a/b/v.jsonl");
    JsonLinesSink sink = new JsonLinesSink(log);
    assertFalse(Files.exists(log.getParent()));
    sink.open();
    assertTrue(Files.exists(log));
    assertEquals(0, Files.size(log));
    assertEquals(log, sink.path());
  }

  @Test
  void appendsOneLinePerRecordInUtf8() throws IOException {
    Path log = dir.resolve("v.jsonl");
    Files.writeString(log, "{\"earlier\":true}\n");
    JsonLinesSink sink = new JsonLinesSink(log);
    sink.write(List.of(Records.dns("ü.example"), Records.dns("b.example")));
    sink.write(List.of());
    sink.flush();
    sink.write(List.of(Records.dns("c.example")));
    sink.close();
    byte[] bytes = Files.readAllBytes(log);
    assertEquals('\n', bytes[bytes.length - 1]);
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertEquals(4, lines.size());
    assertEquals("{\"earlier\":true}", lines.get(0));
    assertEquals("ü.example", Records.parse(lines.get(1)).get("destination"));
    assertEquals("c.example", Records.parse(lines.get(3)).get("destination"));
  }

  @Test
  void fileDeletedBetweenBatchesIsRecreated() throws IOException {
    Path log = dir.resolve("v.jsonl");
    JsonLinesSink sink = new JsonLinesSink(log);
    sink.write(List.of(Records.dns("a")));
    Files.delete(log);
    sink.write(List.of(Records.dns("b")));
    assertEquals(1, Files.readAllLines(log).size());
  }

  @Test
  void unopenableFileIsNamedInTheError() throws IOException {
    Path notADir = dir.resolve("plain-file");
    Files.writeString(notADir, "x");
    Path log = notADir.resolve("v.jsonl");
    JsonLinesSink sink = new JsonLinesSink(log);
    IOException e = assertThrows(IOException.class, sink::open);
    assertTrue(e.getMessage().contains(log.toAbsolutePath().toString()), e.getMessage());
    e = assertThrows(IOException.class, () -> sink.write(List.of(Records.dns("a"))));
    assertTrue(e.getMessage().contains(log.toAbsolutePath().toString()), e.getMessage());
    assertTrue(sink.toString().contains(log.toString()));
  }
}
