package dev.egress.agent.decide;

import dev.egress.bootstrap.EgressConnectException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * What the hook at the entry of Netty's {@code HttpObjectEncoder.write} needs beyond the request
 * check itself. A denied request must never reach the encoder: an exception from inside it leaves
 * the encoder in its initial state, and the request's content written next then fails with the
 * encoder's own {@code IllegalStateException: unexpected message type}, which is what a client (the
 * AWS SDK's async client) reports instead of the denial. So the hook throws before the encoder
 * (Netty fails that write's promise with it), releases the message the encoder would have released,
 * and fails the content that follows on the same encoder with the same message, up to its last
 * part.
 *
 * <p>While nothing is denied, a content write costs one volatile read: no lock, no map lookup.
 * Netty's types are read by name (shaded copies too), once per class.
 */
final class NettyWrites {
  private static final String REFERENCE_COUNTED = "io.netty.util.ReferenceCounted";
  private static final String LAST_CONTENT = "io.netty.handler.codec.http.LastHttpContent";

  /** What the hook needs to know of a message class. */
  private record Shape(Method release, boolean last) {}

  private static final ClassValue<Shape> SHAPES =
      new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
          return shapeOf(type);
        }
      };

  /** Encoders whose current request was denied, with the denial's message. Guarded by itself. */
  private final Map<Object, String> denied = new WeakHashMap<>();

  /** False while {@link #denied} is empty: the allowed path reads only this. */
  private volatile boolean anyDenied;

  /**
   * The last request this thread's write hook checked: the fallback check at the encoder's {@code
   * encodeInitialLine} (for Netty versions whose encoder has no {@code write} of its own) skips it,
   * so that one request is judged, and in dry run recorded, once.
   */
  private final ThreadLocal<Object> checkedByWrite = new ThreadLocal<>();

  /** True (once) when {@code request} was already checked by the write hook on this thread. */
  boolean checkedByWrite(Object request) {
    Object last = checkedByWrite.get();
    if (last != null && last == request) {
      checkedByWrite.remove();
      return true;
    }
    return false;
  }

  /**
   * A request about to enter {@code encoder}, judged: {@code denial} is what the check returned
   * (null: allowed, or a dry-run denial already recorded). Returns the exception to throw.
   */
  IOException request(Object encoder, Object request, IOException denial) {
    if (anyDenied) {
      forget(encoder); // a new request on this encoder: the denied one is over
    }
    if (denial == null) {
      checkedByWrite.set(request);
      return null;
    }
    Shape shape = SHAPES.get(request.getClass());
    if (!shape.last() && encoder != null) {
      synchronized (denied) {
        denied.put(encoder, denial.getMessage());
        anyDenied = true;
      }
    }
    release(request, shape);
    return denial;
  }

  /**
   * A message that is not a request (content, its last part, a raw buffer) about to enter {@code
   * encoder}: the denial to throw when it belongs to a denied request, else null.
   */
  IOException content(Object encoder, Object message) {
    if (!anyDenied || encoder == null) {
      return null;
    }
    Shape shape = SHAPES.get(message.getClass());
    String deniedMessage;
    synchronized (denied) {
      deniedMessage = shape.last() ? denied.remove(encoder) : denied.get(encoder);
      anyDenied = !denied.isEmpty(); // also drops the marks of encoders already collected
    }
    if (deniedMessage == null) {
      return null;
    }
    release(message, shape);
    return new EgressConnectException(deniedMessage);
  }

  private void forget(Object encoder) {
    synchronized (denied) {
      denied.remove(encoder);
      anyDenied = !denied.isEmpty();
    }
  }

  /** Releases a reference-counted message the encoder will never see (and so never release). */
  private static void release(Object message, Shape shape) {
    if (shape.release() == null) {
      return;
    }
    try {
      shape.release().invoke(message);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Already released, or not ours to release: nothing more to do.
    }
  }

  private static Shape shapeOf(Class<?> type) {
    boolean refCounted = false;
    boolean last = false;
    Set<Class<?>> seen = new HashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      todo.add(c);
    }
    while (!todo.isEmpty()) {
      Class<?> c = todo.poll();
      if (!seen.add(c)) {
        continue;
      }
      if (c.isInterface()) {
        refCounted |= endsWithName(c, REFERENCE_COUNTED);
        last |= endsWithName(c, LAST_CONTENT);
      }
      for (Class<?> i : c.getInterfaces()) {
        todo.add(i);
      }
    }
    Method release = null;
    if (refCounted) {
      try {
        release = type.getMethod("release");
      } catch (ReflectiveOperationException | RuntimeException e) {
        return new Shape(null, last);
      }
      try {
        release.setAccessible(true); // the class may be package-private behind the public interface
      } catch (RuntimeException e) {
        // A public class in an open package needs no more.
      }
    }
    return new Shape(release, last);
  }

  /** {@code name}, or a shaded copy of it ({@code some.prefix.} + name). */
  private static boolean endsWithName(Class<?> c, String name) {
    String n = c.getName();
    return n.equals(name) || (n.endsWith(name) && n.charAt(n.length() - name.length() - 1) == '.');
  }
}
