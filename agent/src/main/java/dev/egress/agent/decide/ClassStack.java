package dev.egress.agent.decide;

import java.util.EnumSet;
import java.util.Set;

/**
 * The classes on the current thread's stack, innermost first, as cheaply as this JDK allows: only
 * the classes are needed to tell who asks, not method names or lines.
 *
 * <ul>
 *   <li>JDK 17 to 21: {@code SecurityManager.getClassContext()} on a private subclass that is never
 *       installed: one native call that returns the classes (measured 3.7 µs at depth 100, against
 *       15 µs for a StackWalker that builds a frame object with method information per frame);
 *   <li>JDK 22 and later, where getClassContext is itself a StackWalker walk: a StackWalker with
 *       {@code DROP_METHOD_INFO} (looked up by name: the option does not exist on 17).
 * </ul>
 */
final class ClassStack {
  private static final boolean NATIVE_CONTEXT = Runtime.version().feature() < 22;
  private static final ContextReader READER = NATIVE_CONTEXT ? new ContextReader() : null;
  private static final StackWalker CLASSES_ONLY = NATIVE_CONTEXT ? null : classesOnlyWalker(0);
  private static final StackWalker CLASSES_64 = NATIVE_CONTEXT ? null : classesOnlyWalker(64);
  private static final StackWalker CLASSES_128 = NATIVE_CONTEXT ? null : classesOnlyWalker(128);
  private static final StackWalker CLASSES_250 = NATIVE_CONTEXT ? null : classesOnlyWalker(250);

  /**
   * How many frames the previous walk looked at, to size the next walk's first batch (22+). The JDK
   * fetches frames in batches of 8, 16, then 32, one native call each; a walk that crosses 100
   * frames pays five calls where one first batch of the right size would do, while a walk that
   * decides in the first few frames should not fill a large batch it never reads. Racy on purpose:
   * a stale value only picks a less fitting batch size.
   */
  private static int lastDepth;

  private ClassStack() {}

  /** Calls {@code visitor} with each class, innermost first, until it returns non-null. */
  static <T> T find(ClassVisitor<T> visitor) {
    if (READER != null) {
      for (Class<?> c : READER.classes()) {
        T result = visitor.visit(c);
        if (result != null) {
          return result;
        }
      }
      return null;
    }
    int estimate = lastDepth;
    StackWalker walker =
        estimate <= 24
            ? CLASSES_ONLY
            : estimate <= 56 ? CLASSES_64 : estimate <= 120 ? CLASSES_128 : CLASSES_250;
    return walker.walk(
        frames -> {
          int depth = 0;
          for (java.util.Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
            depth++;
            T result = visitor.visit(it.next().getDeclaringClass());
            if (result != null) {
              lastDepth = depth;
              return result;
            }
          }
          lastDepth = depth;
          return null;
        });
  }

  /** What to do with each class of the stack. */
  interface ClassVisitor<T> {
    T visit(Class<?> type);
  }

  private static StackWalker classesOnlyWalker(int estimateDepth) {
    // SHOW_HIDDEN_FRAMES: without it the JVM tests every frame for being a reflection or hidden
    // frame
    // only to drop frames the walk would skip anyway: reflection frames are JDK classes, and a
    // hidden
    // class (a lambda's proxy) has its host's loader, so its host's role.
    Set<StackWalker.Option> options =
        EnumSet.of(
            StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES);
    try {
      options.add(StackWalker.Option.valueOf("DROP_METHOD_INFO"));
    } catch (IllegalArgumentException olderJdk) {
      // plain class-retaining walker
    }
    return estimateDepth == 0
        ? StackWalker.getInstance(options)
        : StackWalker.getInstance(options, estimateDepth);
  }

  /** Never installed as the security manager: only its stack reader is used. */
  @SuppressWarnings({"deprecation", "removal"})
  private static final class ContextReader extends SecurityManager {
    Class<?>[] classes() {
      return getClassContext();
    }
  }
}
