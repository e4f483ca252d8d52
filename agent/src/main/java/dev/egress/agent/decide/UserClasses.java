package dev.egress.agent.decide;

/**
 * Whether this JVM has defined a class that could be user code (SPEC section 5: a class of any
 * loader but the boot, platform and application loaders). Until it has, no stack can hold a user
 * frame, so the caller walks that look for one (at every task submission, thread start and storage
 * decision) are skipped: a plain application or a SQL-only Spark driver pays nothing for them.
 *
 * <p>The agent's class-file transformer sees every class definition with its loader and reports it
 * here ({@link #defined}); classes already loaded when the agent attaches are reported through
 * {@link #scan}. Conservative: a class of a loader the caller walk would still count as platform (a
 * {@code trusted.code} jar) sets it too; only JDK reflection accessors and Janino's generated code,
 * which the walk classifies as JDK and platform code, do not.
 */
public final class UserClasses {
  /** Without tracking (unit tests, benchmarks), user code is always possible: the walks happen. */
  public static final UserClasses ALWAYS_POSSIBLE = new UserClasses(false);

  /** Taken here so that CallerFinder is loaded before the transformer can call {@link #defined}. */
  private static final java.util.Set<String> GENERATED_CODE_LOADERS =
      CallerFinder.PLATFORM_GENERATED_LOADERS;

  private final boolean tracking;
  private final ClassLoader platformLoader = ClassLoader.getPlatformClassLoader();
  private final ClassLoader systemLoader = ClassLoader.getSystemClassLoader();
  private volatile boolean seen;

  private UserClasses(boolean tracking) {
    this.tracking = tracking;
  }

  /** A tracker that starts with nothing seen: the agent reports every definition to it. */
  public static UserClasses tracking() {
    return new UserClasses(true);
  }

  /** False only while tracking and no class that could be user code has been defined. */
  public boolean mayExist() {
    return !tracking || seen;
  }

  /** A class named {@code internalName} (slashes) is being defined by {@code loader}. */
  public void defined(ClassLoader loader, String internalName) {
    if (seen || loader == null || loader == platformLoader || loader == systemLoader) {
      return;
    }
    if (internalName != null
        && internalName.startsWith("jdk/internal/reflect/")
        && CallerFinder.isJdkLoader(loader)) {
      return; // JDK 17's generated reflection accessors (DelegatingClassLoader): JDK code
    }
    if (CallerFinder.isPlatformGeneratedLoader(loader, systemLoader)) {
      return;
    }
    seen = true;
  }

  /** Classes loaded before the agent could watch definitions (an agent attached at run time). */
  public void scan(Class<?>[] loaded) {
    for (Class<?> c : loaded) {
      if (seen) {
        return;
      }
      defined(c.getClassLoader(), c.getName().replace('.', '/'));
    }
  }
}
