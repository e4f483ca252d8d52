package dev.egress.agent.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends records to a JSON Lines file (UTF-8, one record a line, {@code \n}).
 *
 * <p>Each batch is encoded into one buffer and appended with one write on a file opened with {@code
 * O_APPEND}, so lines of one batch stay together even when several JVMs (driver and executors on
 * one host) share the file. The file is opened per batch and closed again: the bytes are in the
 * operating system when {@link #write} returns, nothing is lost at exit, and a log rotated or
 * deleted under the agent is simply re-created. At most one batch per drain pass (~5 a second)
 * makes the open cheap. There is no fsync: durability against power loss is not worth a disk flush
 * per batch here.
 */
public final class JsonLinesSink implements RecordSink {
  private final Path path;

  /** Touches nothing on disk: the file is created with the first record, or by {@link #open()}. */
  public JsonLinesSink(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /**
   * Creates the parent directories and the file if needed, to find out at start-up rather than at
   * the first violation that the log cannot be written.
   *
   * @throws IOException naming the path
   */
  public void open() throws IOException {
    openChannel().close();
  }

  @Override
  public void write(List<ViolationRecord> batch) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder(batch.size() * 600);
    for (ViolationRecord r : batch) {
      sb.append(RecordJson.toJson(r)).append('\n');
    }
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(sb.toString());
    try (FileChannel ch = openChannel()) {
      while (bytes.hasRemaining()) {
        ch.write(bytes);
      }
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains(path.toString())) {
        throw e;
      }
      throw new IOException("Cannot write violations log " + path.toAbsolutePath() + ": " + e, e);
    }
  }

  private FileChannel openChannel() throws IOException {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return FileChannel.open(
          path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException | SecurityException e) {
      throw new IOException("Cannot open violations log " + path.toAbsolutePath() + ": " + e, e);
    }
  }

  /** Nothing to do: every batch is already handed to the operating system by {@link #write}. */
  @Override
  public void flush() {}

  /** Nothing to do: no file stays open between batches. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "violations log " + path;
  }
}
