package dev.egress.collector.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body with two limits, both answered with 413: the bytes on the wire ({@code
 * maxWireBytes}, checked against Content-Length before anything is read) and, for {@code
 * Content-Encoding: gzip}, the bytes after decompression ({@code maxDecodedBytes}), so that a small
 * gzip bomb cannot fill the heap.
 */
public final class BodyReader {
  /** A body as read: {@code bytes[0, length)}. */
  public record Body(byte[] bytes, int length) {}

  private final long maxWireBytes;
  private final long maxDecodedBytes;

  public BodyReader(long maxWireBytes, long maxDecodedBytes) {
    this.maxWireBytes = maxWireBytes;
    this.maxDecodedBytes = maxDecodedBytes;
  }

  public Body read(HttpExchange ex) throws ApiException, IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    long n = -1;
    if (length != null) {
      try {
        n = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("Content-Length is not a number: " + length);
      }
      if (n > maxWireBytes) {
        // Read and drop a moderately large body before answering: a client still sending it would
        // otherwise see the connection reset instead of the 413 and its reason. A huge one is not
        // worth reading: the connection is closed on it.
        if (n <= DRAIN_LIMIT) {
          ex.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
        }
        throw tooLarge("the body is " + n + " bytes; the limit is " + maxWireBytes + " bytes");
      }
    }
    String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
    String enc = encoding == null ? "identity" : encoding.trim().toLowerCase(Locale.ROOT);
    InputStream wire =
        new LimitedInputStream(
            ex.getRequestBody(),
            maxWireBytes,
            "the body is over the limit of " + maxWireBytes + " bytes");
    switch (enc) {
      case "identity":
        return readAll(wire, maxWireBytes, "", n);
      case "gzip":
      case "x-gzip":
        try (InputStream in = new GZIPInputStream(wire, 64 * 1024)) {
          return readAll(
              in,
              maxDecodedBytes,
              " after gzip decompression",
              n < 0 ? -1 : Math.min(n * 8, maxDecodedBytes));
        } catch (ZipException | java.io.EOFException e) {
          throw ApiException.badRequest(
              "Content-Encoding: gzip, but the body is not valid gzip: " + e.getMessage());
        }
      default:
        throw new ApiException(
            415,
            "unsupported_encoding",
            "Content-Encoding \"" + encoding + "\" is not supported; send gzip or nothing");
    }
  }

  /**
   * {@code expected}: the likely size (-1: unknown), so that a megabyte body is not copied while it
   * grows.
   */
  private static Body readAll(InputStream in, long max, String what, long expected)
      throws ApiException, IOException {
    ExposedBuffer out =
        new ExposedBuffer(expected > 0 ? (int) Math.min(expected + 1, max + 1) : 64 * 1024);
    byte[] chunk = new byte[64 * 1024];
    long total = 0;
    int n;
    try {
      while ((n = in.read(chunk)) > 0) {
        total += n;
        if (total > max) {
          throw tooLarge("the body is over the limit of " + max + " bytes" + what);
        }
        out.write(chunk, 0, n);
      }
    } catch (TooLargeIOException e) {
      throw tooLarge(e.getMessage());
    }
    return out.body();
  }

  /** Hands out its buffer instead of copying it: bodies are megabytes. */
  private static final class ExposedBuffer extends ByteArrayOutputStream {
    ExposedBuffer(int size) {
      super(size);
    }

    Body body() {
      return new Body(buf, count);
    }
  }

  /**
   * Declared bodies up to this size are drained before a 413, so that the client reads the answer.
   */
  private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

  static ApiException tooLarge(String message) {
    return new ApiException(413, "payload_too_large", message);
  }

  /**
   * Fails with 413 as soon as more than {@code max} bytes come through (a body sent without
   * Content-Length).
   */
  private static final class LimitedInputStream extends InputStream {
    private final InputStream in;
    private final long max;
    private final String message;
    private long read;

    LimitedInputStream(InputStream in, long max, String message) {
      this.in = in;
      this.max = max;
      this.message = message;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        read += n;
        if (read > max) {
          throw new TooLargeIOException(message);
        }
      }
      return n;
    }
  }

  /** Carries a 413 through code that only lets IOExceptions out (the gzip stream). */
  static final class TooLargeIOException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeIOException(String message) {
      super(message);
    }
  }
}
