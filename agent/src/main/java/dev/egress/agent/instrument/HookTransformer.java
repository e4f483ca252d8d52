package dev.egress.agent.instrument;

import dev.egress.agent.decide.UserClasses;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Inserts one static call to the bootstrap bridge at each hook point of {@link HookPoints}, and
 * nothing else: no new branches, locals or frames, so the JDK method keeps its shape and the
 * ClassWriter only recomputes the maximum stack size.
 *
 * <p>It uses the ASM that ships inside ByteBuddy: measured here, ByteBuddy's AgentBuilder costs
 * 400-600 ms of start-up and plain ASM about 30 ms (REFERENCE.md).
 */
final class HookTransformer implements ClassFileTransformer {
  private static final ClassLoader PLATFORM_LOADER = ClassLoader.getPlatformClassLoader();

  /** Told of every class definition outside the JDK, so that walks can be skipped until needed. */
  private final UserClasses userClasses;

  /** How many sites were instrumented per class, for the install report and the self-test. */
  private final Map<String, Integer> instrumentedSites = new ConcurrentHashMap<>();

  /** Classes that failed to transform, with the reason. */
  private final Map<String, String> failures = new ConcurrentHashMap<>();

  HookTransformer(UserClasses userClasses) {
    this.userClasses = userClasses;
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> redefined,
      ProtectionDomain domain,
      byte[] classfile) {
    // Only the JDK's own copies: a class of the same name in another loader is not the JDK's.
    // The loader is checked first: it is also what keeps this method from touching agent classes
    // while they load (which would define them twice).
    if (loader != null && loader != PLATFORM_LOADER) {
      userClasses.defined(loader, className);
      String library = className == null ? null : HookPoints.librarySuffix(className);
      if (library == null) {
        return null;
      }
      try {
        return instrument(className, classfile, library);
      } catch (Throwable t) {
        failures.put(className, String.valueOf(t));
        return null;
      }
    }
    if (className == null || !HookPoints.EXPECTED.containsKey(className)) {
      return null;
    }
    if (loader != null && !className.equals(HookPoints.HTTP_CLIENT)) {
      return null;
    }
    try {
      return instrument(className, classfile);
    } catch (Throwable t) {
      failures.put(className, String.valueOf(t));
      return null;
    }
  }

  /** Package-private seam: transforms one class file, or returns null if nothing matched. */
  byte[] instrument(String className, byte[] classfile) {
    return instrument(className, classfile, null);
  }

  /** As above; {@code library} is the matched library suffix, or null for a JDK class. */
  byte[] instrument(String className, byte[] classfile, String library) {
    ClassReader reader = new ClassReader(classfile);
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    int[] sites = new int[1];
    ClassVisitor visitor =
        library == null
            ? new HookClassVisitor(writer, className, sites)
            : new LibraryClassVisitor(writer, library, sites);
    reader.accept(visitor, 0);
    if (sites[0] == 0) {
      if (!HookPoints.optional(library)) {
        failures.put(className, "no hook point found (JDK internals changed?)");
      }
      return null;
    }
    Integer before = instrumentedSites.get(className);
    instrumentedSites.put(className, before == null ? sites[0] : before + sites[0]);
    failures.remove(className);
    return writer.toByteArray();
  }

  Map<String, Integer> instrumentedSites() {
    return instrumentedSites;
  }

  Map<String, String> failures() {
    return failures;
  }

  private static final class HookClassVisitor extends ClassVisitor {
    private final String className;
    private final int[] sites;

    HookClassVisitor(ClassVisitor next, String className, int[] sites) {
      super(Opcodes.ASM9, next);
      this.className = className;
      this.sites = sites;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String desc, String signature, String[] exceptions) {
      MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
      boolean isPrivateStatic =
          (access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC))
              == (Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC);
      if (className.equals(HookPoints.INET_ADDRESS)) {
        if (isPrivateStatic
            && name.equals(HookPoints.LOOKUP_NAME)
            && desc.startsWith("(Ljava/lang/String;")
            && desc.endsWith(HookPoints.LOOKUP_DESC_SUFFIX)) {
          return new LookupHook(mv, sites);
        }
        if (name.equals(HookPoints.REVERSE_LOOKUP_METHOD)) {
          return new ReverseLookupHook(mv, sites);
        }
        return mv;
      }
      if (className.equals(HookPoints.SOCKS)) {
        if (name.equals("connect") && desc.equals("(Ljava/net/SocketAddress;I)V")) {
          return new EntryCallHook(
              mv, 1, "proxiedConnect", "(Ljava/net/SocketAddress;)V", -1, sites);
        }
        return mv;
      }
      if (className.equals(HookPoints.THREAD_POOL)) {
        if (name.equals("execute") && desc.equals("(Ljava/lang/Runnable;)V")) {
          return new EntryCallHook(
              mv, 1, "carry", "(Ljava/lang/Runnable;)Ljava/lang/Runnable;", 1, sites);
        }
        return mv;
      }
      if (className.equals(HookPoints.SCHEDULED_TASK)) {
        if (name.equals("<init>") && desc.startsWith(HookPoints.SCHEDULED_TASK_RUNNABLE)) {
          return new EntryCallHook(mv, 2, "carry", RUNNABLE_TO_RUNNABLE, 2, sites);
        }
        if (name.equals("<init>") && desc.startsWith(HookPoints.SCHEDULED_TASK_CALLABLE)) {
          return new EntryCallHook(mv, 2, "carry", CALLABLE_TO_CALLABLE, 2, sites);
        }
        return mv;
      }
      if (className.equals(HookPoints.FORK_JOIN_POOL)) {
        return forkJoinPoolHook(mv, access, name, desc, sites);
      }
      if (className.equals(HookPoints.FORK_JOIN_TASK)) {
        if ((access & Opcodes.ACC_STATIC) != 0) {
          return mv;
        }
        if (name.equals("fork") && desc.equals("()L" + HookPoints.FORK_JOIN_TASK + ";")) {
          return new EntryCallHook(mv, 0, "forked", FORK_JOIN_TASK_ARG, -1, sites);
        }
        if (name.equals("doExec") && (desc.equals("()I") || desc.equals("()V"))) {
          return new TaskRunHook(mv, sites); // ()I on JDK 17, ()V on 25
        }
        return mv;
      }
      if (className.equals(HookPoints.THREAD)) {
        // start() and, on JDK 21+, start(ThreadContainer), which thread pools use directly.
        if (name.equals("start")
            && (desc.equals("()V") || desc.equals("(Ljdk/internal/vm/ThreadContainer;)V"))
            && (access & Opcodes.ACC_STATIC) == 0) {
          return new EntryCallHook(mv, 0, "threadStart", "(Ljava/lang/Thread;)V", -1, sites);
        }
        return mv;
      }
      if (className.equals(HookPoints.PROCESS_BUILDER)) {
        if (name.equals("start") && desc.equals("()Ljava/lang/Process;")) {
          return new EntryCallHook(mv, 0, "processStart", "(Ljava/lang/Object;)V", -1, sites);
        }
        return mv;
      }
      if (className.equals(HookPoints.HTTP_CLIENT)) {
        if (name.equals("sendAsync") && desc.endsWith(HookPoints.SEND_ASYNC_DESC_SUFFIX)) {
          return new RequestExecutorHook(mv, Type.getArgumentTypes(desc).length, sites);
        }
        return mv;
      }
      if (className.equals(HookPoints.URL_CONNECTION)) {
        if (name.equals("plainConnect0") && desc.equals("()V")) {
          return new EntryCallHook(mv, 0, "httpRequest", "(Ljava/lang/Object;)V", -1, sites);
        }
        return mv;
      }
      boolean socketConnect =
          className.equals(HookPoints.SOCKET)
              && name.equals("connect")
              && desc.equals(HookPoints.SOCKET_CONNECT_DESC);
      boolean checkAddress =
          className.equals(HookPoints.NET)
              && name.equals(HookPoints.CHECK_ADDRESS)
              && desc.startsWith(HookPoints.CHECK_ADDRESS_DESC_PREFIX);
      if (socketConnect || checkAddress) {
        // Only unresolved addresses go further than one type check in the bridge.
        return new EntryCallHook(
            mv,
            checkAddress ? 0 : 1,
            "unresolvedConnect",
            "(Ljava/net/SocketAddress;)V",
            -1,
            sites);
      }
      if (className.equals(HookPoints.SOCKET) || className.equals(HookPoints.NET)) {
        return mv; // Net's own connect overloads call each other: not call sites to hook
      }
      boolean udp = className.equals(HookPoints.DATAGRAM_CHANNEL);
      if (udp
          && (access & Opcodes.ACC_PRIVATE) != 0
          && name.equals(HookPoints.DATAGRAM_SEND_NAME)
          && desc.equals(HookPoints.DATAGRAM_SEND_DESC)) {
        // this, fd, src, target: the target of the unconnected send.
        return new EntryCallHook(mv, 3, "udpSend", "(Ljava/net/InetSocketAddress;)V", -1, sites);
      }
      return new ConnectCallSiteHook(mv, udp, sites);
    }
  }

  private static final String RUNNABLE_TO_RUNNABLE = "(Ljava/lang/Runnable;)Ljava/lang/Runnable;";
  private static final String CALLABLE_TO_CALLABLE =
      "(Ljava/util/concurrent/Callable;)Ljava/util/concurrent/Callable;";
  private static final String FORK_JOIN_TASK_ARG = "(L" + HookPoints.FORK_JOIN_TASK + ";)V";

  /**
   * ForkJoinPool's public submission methods: the task argument (slot 1) goes to the bridge first.
   * Bridge methods (the erased {@code submit} overloads, which call the real ones) are left alone,
   * so a task is captured once. {@code externalSubmit} and {@code lazySubmit} (JDK 19+) are left
   * alone too: the JDK's virtual-thread scheduler submits every continuation through them.
   */
  private static MethodVisitor forkJoinPoolHook(
      MethodVisitor mv, int access, String name, String desc, int[] sites) {
    if ((access & Opcodes.ACC_PUBLIC) == 0
        || (access & (Opcodes.ACC_STATIC | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC)) != 0) {
      return mv;
    }
    boolean runnable = desc.startsWith("(Ljava/lang/Runnable;");
    boolean callable = desc.startsWith("(Ljava/util/concurrent/Callable;");
    boolean forkJoinTask = desc.startsWith("(L" + HookPoints.FORK_JOIN_TASK + ";");
    switch (name) {
      case "execute":
      case "submit":
      case "invoke":
        if (runnable && !name.equals("invoke")) {
          return new EntryCallHook(mv, 1, "carryToPool", RUNNABLE_TO_RUNNABLE, 1, sites);
        }
        if (callable && name.equals("submit")) {
          return new EntryCallHook(mv, 1, "carry", CALLABLE_TO_CALLABLE, 1, sites);
        }
        if (forkJoinTask) {
          return new EntryCallHook(mv, 1, "carryToPool", FORK_JOIN_TASK_ARG, -1, sites);
        }
        return mv;
      case "invokeAll":
      case "invokeAny":
        if (desc.startsWith("(Ljava/util/Collection;")) {
          return new EntryCallHook(
              mv, 1, "carryTasks", "(Ljava/util/Collection;)Ljava/util/Collection;", 1, sites);
        }
        return mv;
      case "schedule": // JDK 19+: ForkJoinPool is a ScheduledExecutorService
      case "scheduleAtFixedRate":
      case "scheduleWithFixedDelay":
      case "submitWithTimeout":
        if (runnable) {
          return new EntryCallHook(mv, 1, "carry", RUNNABLE_TO_RUNNABLE, 1, sites);
        }
        if (callable) {
          return new EntryCallHook(mv, 1, "carry", CALLABLE_TO_CALLABLE, 1, sites);
        }
        return mv;
      default:
        return mv;
    }
  }

  /**
   * {@code ForkJoinTask.doExec()}, where every fork/join task runs: at entry the task's recorded
   * requester (if any) is installed, before each return what the thread carried comes back. What
   * the task body ({@code exec()}) throws is caught inside doExec, so a run ends at a return.
   */
  private static final class TaskRunHook extends EntryCallHook {
    TaskRunHook(MethodVisitor next, int[] sites) {
      super(next, 0, "taskStarts", FORK_JOIN_TASK_ARG, -1, sites);
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode == Opcodes.RETURN || opcode == Opcodes.IRETURN) {
        super.visitVarInsn(Opcodes.ALOAD, 0);
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC, HookPoints.BRIDGE, "taskEnds", FORK_JOIN_TASK_ARG, false);
      }
      super.visitInsn(opcode);
    }
  }

  /**
   * Before each {@code Net.connect(...)} call: the same address and port go to the bridge first.
   */
  private static final class ConnectCallSiteHook extends MethodVisitor {
    private final boolean udp;
    private final int[] sites;

    ConnectCallSiteHook(MethodVisitor next, boolean udp, int[] sites) {
      super(Opcodes.ASM9, next);
      this.udp = udp;
      this.sites = sites;
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
      if (opcode == Opcodes.INVOKESTATIC
          && owner.equals(HookPoints.UNIX_SOCKETS)
          && name.equals("connect")
          && desc.equals("(Ljava/io/FileDescriptor;Ljava/net/SocketAddress;)I")) {
        super.visitInsn(Opcodes.DUP); // ..., fd, SocketAddress
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC,
            HookPoints.BRIDGE,
            "unixConnect",
            "(Ljava/net/SocketAddress;)V",
            false);
        sites[0]++;
      }
      if (opcode == Opcodes.INVOKESTATIC
          && owner.equals(HookPoints.NET)
          && name.equals("connect")) {
        if (desc.endsWith("Ljava/net/InetAddress;I)I")) {
          // Stack: ..., InetAddress remote, int port -> duplicate both for the bridge.
          super.visitInsn(Opcodes.DUP2);
          super.visitMethodInsn(
              Opcodes.INVOKESTATIC,
              HookPoints.BRIDGE,
              udp ? "udpConnect" : "tcpConnect",
              "(Ljava/net/InetAddress;I)V",
              false);
          sites[0]++;
        } else if (desc.endsWith("Ljava/net/SocketAddress;)I") && !udp) {
          // Stack: ..., SocketAddress remote.
          super.visitInsn(Opcodes.DUP);
          super.visitMethodInsn(
              Opcodes.INVOKESTATIC,
              HookPoints.BRIDGE,
              "tcpConnect",
              "(Ljava/net/SocketAddress;)V",
              false);
          sites[0]++;
        }
      }
      super.visitMethodInsn(opcode, owner, name, desc, itf);
    }
  }

  /** Library classes: one entry call per matched method; everything else copied unchanged. */
  private static final class LibraryClassVisitor extends ClassVisitor {
    private final String library;
    private final int[] sites;

    LibraryClassVisitor(ClassVisitor next, String library, int[] sites) {
      super(Opcodes.ASM9, next);
      this.library = library;
      this.sites = sites;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String desc, String signature, String[] exceptions) {
      MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
      // A bridge method calls the real one: hooking both would judge one request twice.
      if ((access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_BRIDGE)) != 0) {
        return mv;
      }
      switch (library) {
        case HookPoints.NETTY_SOCKET:
          if (name.equals("connect") && desc.equals("(Ljava/net/SocketAddress;)Z")) {
            return new EntryCallHook(mv, 1, "tcpConnect", "(Ljava/net/SocketAddress;)V", -1, sites);
          }
          break;
        case HookPoints.NETTY_EXECUTOR:
          if (name.equals("execute") && desc.equals("(Ljava/lang/Runnable;)V")) {
            return new EntryCallHook(
                mv, 1, "carry", "(Ljava/lang/Runnable;)Ljava/lang/Runnable;", 1, sites);
          }
          break;
        case HookPoints.NETTY_HTTP_WRITE:
          // write(ChannelHandlerContext, Object msg, ChannelPromise): the encoder and the message.
          if (name.equals("write")
              && desc.endsWith(")V")
              && Type.getArgumentTypes(desc).length == 3
              && Type.getArgumentTypes(desc)[1].getDescriptor().equals("Ljava/lang/Object;")) {
            return new EntryCallHook(
                mv,
                new int[] {0, 2},
                "httpWrite",
                "(Ljava/lang/Object;Ljava/lang/Object;)V",
                -1,
                sites);
          }
          break;
        case HookPoints.NETTY_HTTP_ENCODER:
          if (name.equals("encodeInitialLine") && Type.getArgumentTypes(desc).length == 2) {
            return new EntryCallHook(mv, 2, "httpRequest", "(Ljava/lang/Object;)V", -1, sites);
          }
          break;
        case HookPoints.APACHE_EXECUTOR:
        case HookPoints.APACHE5_EXECUTOR:
          // Apache 5's 3-argument execute calls its 4-argument one: hook one per request.
          if (name.equals("execute")
              && Type.getArgumentTypes(desc).length
                  == (library.equals(HookPoints.APACHE5_EXECUTOR) ? 4 : 3)) {
            return new EntryCallHook(mv, 1, "httpRequest", "(Ljava/lang/Object;)V", -1, sites);
          }
          break;
        default:
          break;
      }
      return mv;
    }
  }

  /**
   * At entry: reference arguments (or {@code this}) go to a bridge method; when {@code storeSlot}
   * is not -1 the bridge's result replaces that argument.
   */
  private static class EntryCallHook extends MethodVisitor {
    private final int[] loadSlots;
    private final String bridgeMethod;
    private final String bridgeDesc;
    private final int storeSlot;
    private final int[] sites;

    EntryCallHook(
        MethodVisitor next,
        int loadSlot,
        String bridgeMethod,
        String bridgeDesc,
        int storeSlot,
        int[] sites) {
      this(next, new int[] {loadSlot}, bridgeMethod, bridgeDesc, storeSlot, sites);
    }

    EntryCallHook(
        MethodVisitor next,
        int[] loadSlots,
        String bridgeMethod,
        String bridgeDesc,
        int storeSlot,
        int[] sites) {
      super(Opcodes.ASM9, next);
      this.loadSlots = loadSlots;
      this.bridgeMethod = bridgeMethod;
      this.bridgeDesc = bridgeDesc;
      this.storeSlot = storeSlot;
      this.sites = sites;
    }

    @Override
    public void visitCode() {
      super.visitCode();
      for (int slot : loadSlots) {
        super.visitVarInsn(Opcodes.ALOAD, slot);
      }
      super.visitMethodInsn(
          Opcodes.INVOKESTATIC, HookPoints.BRIDGE, bridgeMethod, bridgeDesc, false);
      if (storeSlot >= 0) {
        super.visitVarInsn(Opcodes.ASTORE, storeSlot);
      }
      sites[0]++;
    }
  }

  /**
   * At entry of sendAsync: the executor argument (the last) is swapped for a context-carrying one.
   */
  private static final class RequestExecutorHook extends MethodVisitor {
    private final int executorSlot;
    private final int[] sites;

    RequestExecutorHook(MethodVisitor next, int argumentCount, int[] sites) {
      super(Opcodes.ASM9, next);
      this.executorSlot = argumentCount; // slot 0 is this; every argument is a reference
      this.sites = sites;
    }

    @Override
    public void visitCode() {
      super.visitCode();
      // A path-style storage request for a bucket the policy does not allow: fail the future.
      Label proceed = new Label();
      super.visitVarInsn(Opcodes.ALOAD, 1);
      super.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          HookPoints.BRIDGE,
          "deniedRequest",
          "(Ljava/lang/Object;)Ljava/lang/Throwable;",
          false);
      super.visitInsn(Opcodes.DUP);
      super.visitJumpInsn(Opcodes.IFNULL, proceed);
      super.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          "java/util/concurrent/CompletableFuture",
          "failedFuture",
          "(Ljava/lang/Throwable;)Ljava/util/concurrent/CompletableFuture;",
          false);
      super.visitInsn(Opcodes.ARETURN);
      super.visitLabel(proceed);
      super.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {"java/lang/Throwable"});
      super.visitInsn(Opcodes.POP);
      super.visitVarInsn(Opcodes.ALOAD, executorSlot);
      super.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          HookPoints.BRIDGE,
          "requestExecutor",
          "(Ljava/util/concurrent/Executor;)Ljava/util/concurrent/Executor;",
          false);
      super.visitVarInsn(Opcodes.ASTORE, executorSlot);
      sites[0]++;
    }
  }

  /** Before the resolver is asked for an address's name: the address bytes go to the bridge. */
  private static final class ReverseLookupHook extends MethodVisitor {
    private final int[] sites;

    ReverseLookupHook(MethodVisitor next, int[] sites) {
      super(Opcodes.ASM9, next);
      this.sites = sites;
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
      if (opcode == Opcodes.INVOKEINTERFACE
          && desc.equals("([B)Ljava/lang/String;")
          && (name.equals("getHostByAddr") || name.equals("lookupByAddress"))) {
        super.visitInsn(Opcodes.DUP); // ..., resolver, byte[] -> the bytes for the bridge
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC, HookPoints.BRIDGE, "reverseLookup", "([B)V", false);
        sites[0]++;
      }
      super.visitMethodInsn(opcode, owner, name, desc, itf);
    }
  }

  /** At entry of the designated lookup: decide on the name; at each return: learn the answer. */
  private static final class LookupHook extends EntryCallHook {
    LookupHook(MethodVisitor next, int[] sites) {
      super(next, 0, "lookup", "(Ljava/lang/String;)V", -1, sites); // static: local 0 is the host
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode == Opcodes.ARETURN) {
        // Stack: ..., InetAddress[] result -> bridge(result, host) returns result unchanged.
        super.visitVarInsn(Opcodes.ALOAD, 0);
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC,
            HookPoints.BRIDGE,
            "resolved",
            "([Ljava/net/InetAddress;Ljava/lang/String;)[Ljava/net/InetAddress;",
            false);
      }
      super.visitInsn(opcode);
    }
  }
}
