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
  private static final StackWalker CLASSES_ONLY = NATIVE_CONTEXT ? null : classesOnlyWalker();

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
    return CLASSES_ONLY.walk(
        frames -> {
          for (StackWalker.StackFrame f : (Iterable<StackWalker.StackFrame>) frames::iterator) {
            T result = visitor.visit(f.getDeclaringClass());
            if (result != null) {
              return result;
            }
          }
          return null;
        });
  }

  /** What to do with each class of the stack. */
  interface ClassVisitor<T> {
    T visit(Class<?> type);
  }

  private static StackWalker classesOnlyWalker() {
    Set<StackWalker.Option> options = EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    try {
      options.add(StackWalker.Option.valueOf("DROP_METHOD_INFO"));
    } catch (IllegalArgumentException olderJdk) {
      // plain class-retaining walker
    }
    // (A depth estimate of 256, for fewer and larger batches, measured slower: 6.1-6.8 us against
    // 5.5-5.9 us at depth 100 on JDK 25: the larger buffer per walk costs more than it saves.)
    return StackWalker.getInstance(options);
  }

  /** Never installed as the security manager: only its stack reader is used. */
  @SuppressWarnings({"deprecation", "removal"})
  private static final class ContextReader extends SecurityManager {
    Class<?>[] classes() {
      return getClassContext();
    }
  }
}
