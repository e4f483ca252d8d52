package dev.egress.agent.decide;

import dev.egress.bootstrap.EgressContext;
import dev.egress.policy.CallerKind;
import java.lang.reflect.Proxy;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tells who is asking for a connection (SPEC section 5) by walking the current thread's stack from
 * the hook outward. Each class's role is computed once and cached in a {@link ClassValue}; the walk
 * stops at the first frame that decides.
 */
public final class CallerFinder {
  /** What one frame's class is, for the walk. */
  enum Role {
    /** The JDK, reflection and proxy plumbing: skipped. */
    JDK,
    /** The agent itself (and its bridge): skipped. */
    AGENT,
    /** The platform's data layer: access through it is platform-mediated. */
    GATEWAY,
    /** Code the user brought: a notebook cell, a UDF, a jar added at run time. */
    USER,
    /** Everything else on the platform's class path: passed over, it decides nothing. */
    PLATFORM
  }

  private static final StackWalker WALKER =
      StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE));

  /** Class loaders whose generated classes are platform code although not on the class path. */
  static final Set<String> PLATFORM_GENERATED_LOADERS =
      Set.of(
          "org.codehaus.janino.ByteArrayClassLoader",
          "org.codehaus.commons.compiler.util.reflect.ByteArrayClassLoader");

  private final UserClasses userClasses;
  private final List<String> gatewayPrefixes;
  private final List<String> trustedCodePrefixes;
  private final ClassLoader agentLoader = CallerFinder.class.getClassLoader();
  private final ClassLoader platformLoader = ClassLoader.getPlatformClassLoader();
  private final ClassLoader systemLoader = ClassLoader.getSystemClassLoader();

  private final ClassValue<Role> roles =
      new ClassValue<>() {
        @Override
        protected Role computeValue(Class<?> type) {
          return classify(type);
        }
      };

  public CallerFinder(List<String> gatewayPrefixes, List<String> trustedCodePrefixes) {
    this(gatewayPrefixes, trustedCodePrefixes, UserClasses.ALWAYS_POSSIBLE);
  }

  /**
   * As above; {@code userClasses} tells when no class of this JVM can be user code, so that the
   * kind is platform without a walk.
   */
  public CallerFinder(
      List<String> gatewayPrefixes, List<String> trustedCodePrefixes, UserClasses userClasses) {
    this.userClasses = userClasses;
    this.gatewayPrefixes = List.copyOf(gatewayPrefixes);
    this.trustedCodePrefixes = List.copyOf(trustedCodePrefixes);
  }

  /**
   * The kind of access the current thread makes, for the policy engine. A thread whose own stack
   * decides nothing (an HTTP client's worker) takes the kind of the requester it works for.
   */
  public CallerKind kind() {
    if (!userClasses.mayExist()) {
      // No user class exists, so none is on any stack or carried: gateway or not, the engine
      // treats the access as the platform's own.
      return CallerKind.PLATFORM;
    }
    CallerKind own = ownKind();
    if (own == CallerKind.PLATFORM) {
      Object carried = EgressContext.current();
      if (carried instanceof RequesterContext) {
        return ((RequesterContext) carried).kind();
      }
    }
    return own;
  }

  /**
   * True when the thread about to start is a pool's worker: a thread pool of the JDK sits between
   * {@code Thread.start} and the first frame that is neither JDK nor agent code. Such a thread
   * serves many requesters over its life; each task carries its own instead.
   */
  public boolean startingPoolWorker() {
    Boolean pool = ClassStack.find(poolFrame);
    return pool != null && pool;
  }

  private final ClassStack.ClassVisitor<Boolean> poolFrame =
      new ClassStack.ClassVisitor<>() {
        @Override
        public Boolean visit(Class<?> type) {
          if (java.util.concurrent.ThreadPoolExecutor.class.isAssignableFrom(type)
              || java.util.concurrent.ForkJoinPool.class.isAssignableFrom(type)) {
            return Boolean.TRUE;
          }
          Role r = roles.get(type);
          return r == Role.JDK || r == Role.AGENT ? null : Boolean.FALSE;
        }
      };

  /** False when no class of this JVM can be user code: then no walk can find any. */
  public boolean userCodePossible() {
    return userClasses.mayExist();
  }

  /** The requester to carry to other threads, or null when the stack holds nothing to carry. */
  public RequesterContext capture() {
    CallerKind kind = kind();
    if (kind == CallerKind.PLATFORM) {
      return null; // nothing to carry: a thread without a requester is platform access anyway
    }
    return new RequesterContext(kind, callerFrame().orElse(null));
  }

  private CallerKind ownKind() {
    CallerKind kind = ClassStack.find(classKind);
    return kind != null ? kind : CallerKind.PLATFORM;
  }

  /** The first gateway or user class decides; every other class is passed over. */
  private final ClassStack.ClassVisitor<CallerKind> classKind =
      new ClassStack.ClassVisitor<>() {
        @Override
        public CallerKind visit(Class<?> type) {
          Role r = roles.get(type);
          if (r == Role.GATEWAY) {
            return CallerKind.PLATFORM_MEDIATED;
          }
          if (r == Role.USER) {
            return CallerKind.USER_DIRECT;
          }
          return null;
        }
      };

  /**
   * The frame to name in a violation record: the outermost user-code frame where the stack holds
   * user code (the notebook cell or UDF that started the request, not the library it called), else
   * the first frame that is neither JDK nor agent code. Empty when the stack holds neither.
   */
  public Optional<CallerFrame> callerFrame() {
    return WALKER.walk(
        frames -> {
          StackWalker.StackFrame firstOther = null;
          StackWalker.StackFrame outermostUser = null;
          for (StackWalker.StackFrame f : (Iterable<StackWalker.StackFrame>) frames::iterator) {
            Role r = roles.get(f.getDeclaringClass());
            if (r == Role.USER) {
              outermostUser = f;
            } else if (firstOther == null && (r == Role.GATEWAY || r == Role.PLATFORM)) {
              firstOther = f;
            }
          }
          if (outermostUser != null) {
            return Optional.of(describe(outermostUser, true));
          }
          Object carried = EgressContext.current();
          if (carried instanceof RequesterContext && ((RequesterContext) carried).frame() != null) {
            return Optional.of(((RequesterContext) carried).frame());
          }
          return Optional.ofNullable(firstOther).map(f -> describe(f, false));
        });
  }

  private CallerFrame describe(StackWalker.StackFrame f, boolean user) {
    return new CallerFrame(
        f.getClassName(),
        f.getMethodName(),
        f.getLineNumber(),
        codeSource(f.getDeclaringClass()),
        user);
  }

  /** Package-private seam for tests: the role of one class. */
  Role roleOf(Class<?> type) {
    return roles.get(type);
  }

  private Role classify(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    String name = type.getName();
    if (isAgentClass(type, loader, name)) {
      return Role.AGENT;
    }
    if (loader == null
        || loader == platformLoader
        || (name.startsWith("jdk.internal.reflect.") && isJdkLoader(loader))
        || Proxy.isProxyClass(type)) {
      return Role.JDK;
    }
    boolean userLoaded =
        loader != systemLoader
            && !isPlatformGeneratedLoader(loader, systemLoader)
            && !trusted(type);
    if (userLoaded) {
      // A user class named like a gateway is still user code: the prefix is not a credential.
      return Role.USER;
    }
    for (String prefix : gatewayPrefixes) {
      if (name.startsWith(prefix)) {
        return Role.GATEWAY;
      }
    }
    return Role.PLATFORM;
  }

  /**
   * The loader of JDK 17's generated reflection accessors ({@code DelegatingClassLoader}, the JDK's
   * own class), or the boot loader. A class name alone proves nothing: a user loader can define a
   * class named {@code jdk.internal.reflect.Anything}.
   */
  static boolean isJdkLoader(ClassLoader loader) {
    if (loader == null) {
      return true;
    }
    Class<?> type = loader.getClass();
    // The JDK class itself, not merely a boot-loaded one: a URLClassLoader is boot-loaded too.
    return type.getClassLoader() == null
        && type.getName().equals("jdk.internal.reflect.DelegatingClassLoader");
  }

  /**
   * Janino's loader, whose generated classes are platform code: named so, and itself a class of the
   * application class path (a user jar could bring a loader class of the same name).
   */
  static boolean isPlatformGeneratedLoader(ClassLoader loader, ClassLoader systemLoader) {
    Class<?> type = loader.getClass();
    return PLATFORM_GENERATED_LOADERS.contains(type.getName())
        && (type.getClassLoader() == systemLoader
            || type.getClassLoader() == ClassLoader.getPlatformClassLoader()
            || type.getClassLoader() == null);
  }

  private boolean isAgentClass(Class<?> type, ClassLoader loader, String name) {
    if (loader == null) {
      return name.startsWith("dev.egress.bootstrap.");
    }
    return loader == agentLoader
        && (name.startsWith("dev.egress.agent.")
            || name.startsWith("dev.egress.policy.")
            || name.startsWith("dev.egress.shaded."));
  }

  private boolean trusted(Class<?> type) {
    if (trustedCodePrefixes.isEmpty()) {
      return false;
    }
    String location = codeSource(type);
    if (location == null) {
      return false;
    }
    for (String prefix : trustedCodePrefixes) {
      if (location.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  static String codeSource(Class<?> type) {
    try {
      ProtectionDomain pd = type.getProtectionDomain();
      CodeSource cs = pd == null ? null : pd.getCodeSource();
      return cs == null || cs.getLocation() == null ? null : cs.getLocation().toString();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
