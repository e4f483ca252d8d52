package dev.egress.bench.walk;

import dev.egress.policy.CallerKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * Not the agent's code: candidate replacements for the stack walk of {@code
 * CallerFinder.ownKind()}, with the same frame roles (JDK and agent frames skipped, a gateway
 * prefix means PLATFORM_MEDIATED, a class of any other loader than boot/platform/application means
 * USER_DIRECT), to measure what a different walking mechanism would save. Trusted code sources and
 * Janino loaders are left out: they only change the cached per-class verdict.
 */
public final class PrototypeWalkers {
  enum Role {
    SKIP,
    GATEWAY,
    USER,
    PLATFORM
  }

  private final String gatewayPrefix;
  private final ClassLoader platformLoader = ClassLoader.getPlatformClassLoader();
  private final ClassLoader systemLoader = ClassLoader.getSystemClassLoader();
  private final ClassValue<Role> roles =
      new ClassValue<>() {
        @Override
        protected Role computeValue(Class<?> type) {
          return classify(type);
        }
      };

  /**
   * RETAIN_CLASS_REFERENCE plus DROP_METHOD_INFO where the JDK has it (22+), found by name at run
   * time.
   */
  private final StackWalker classOnlyWalker;

  private final boolean dropMethodInfo;
  private final ClassContext classContext = new ClassContext();

  public PrototypeWalkers(String gatewayPrefix) {
    this.gatewayPrefix = gatewayPrefix;
    Set<StackWalker.Option> options = EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    boolean drop;
    try {
      options.add(StackWalker.Option.valueOf("DROP_METHOD_INFO"));
      drop = true;
    } catch (IllegalArgumentException e) {
      drop = false; // JDK 17-21
    }
    dropMethodInfo = drop;
    classOnlyWalker = StackWalker.getInstance(options);
  }

  public boolean dropMethodInfo() {
    return dropMethodInfo;
  }

  private Role classify(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    String name = type.getName();
    if (loader == null
        || loader == platformLoader
        || name.startsWith("jdk.internal.reflect.")
        || name.startsWith("dev.egress.agent.")
        || name.startsWith("dev.egress.policy.")
        || name.startsWith("dev.egress.bench.walk.PrototypeWalkers")) {
      return Role.SKIP;
    }
    if (loader != systemLoader) {
      return Role.USER;
    }
    return name.startsWith(gatewayPrefix) ? Role.GATEWAY : Role.PLATFORM;
  }

  private CallerKind kindOf(Role r) {
    return r == Role.GATEWAY
        ? CallerKind.PLATFORM_MEDIATED
        : r == Role.USER ? CallerKind.USER_DIRECT : null;
  }

  /**
   * StackWalker, class-only frames where the JDK offers it, and a plain loop over the stream's
   * iterator.
   */
  public CallerKind stackWalkerClassOnly() {
    return classOnlyWalker.walk(
        frames -> {
          var it = frames.iterator();
          while (it.hasNext()) {
            CallerKind k = kindOf(roles.get(it.next().getDeclaringClass()));
            if (k != null) {
              return k;
            }
          }
          return CallerKind.PLATFORM;
        });
  }

  /**
   * One native call that returns the classes of the whole stack (JDK 17:
   * SecurityManager#getClassContext).
   */
  public CallerKind classContext() {
    Class<?>[] classes = classContext.classes();
    for (Class<?> c : classes) {
      CallerKind k = kindOf(roles.get(c));
      if (k != null) {
        return k;
      }
    }
    return CallerKind.PLATFORM;
  }

  /** A SecurityManager that is never installed: only its protected getClassContext() is used. */
  @SuppressWarnings("removal")
  private static final class ClassContext extends SecurityManager {
    Class<?>[] classes() {
      return getClassContext();
    }
  }
}
