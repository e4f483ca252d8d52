package dev.egress.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * Transforms the running JDK's own class files (the build runs on 17 and on 25) and checks that
 * each hook point is found and that the bridge calls land where they should.
 */
class HookTransformerTest {
  private final HookTransformer transformer =
      new HookTransformer(dev.egress.agent.decide.UserClasses.ALWAYS_POSSIBLE);

  @Test
  void everyTargetClassOfThisJdkHasItsHookPoints() throws IOException {
    assertSites("sun/nio/ch/NioSocketImpl", 1);
    assertSites(
        "sun/nio/ch/SocketChannelImpl",
        4); // Net and UnixDomainSockets, in connect and blockingConnect
    assertSites("sun/nio/ch/UnixAsynchronousSocketChannelImpl", 1);
    assertSites("sun/nio/ch/DatagramChannelImpl", 2); // connect, and the unconnected send
    assertSites("java/net/InetAddress", 2); // the lookup, and the reverse lookup's resolver call
    assertSites("java/net/SocksSocketImpl", 1);
    assertSites("java/lang/ProcessBuilder", 1);
    assertSites("java/util/concurrent/ThreadPoolExecutor", 1);
    assertSites(
        "java/lang/Thread",
        Runtime.version().feature() >= 21 ? 2 : 1); // start(), start(ThreadContainer)
    assertSites("java/net/Socket", 1);
    assertSites("jdk/internal/net/http/HttpClientImpl", 1);
    assertSites("sun/net/www/protocol/http/HttpURLConnection", 1);
    assertSites(
        "sun/nio/ch/Net", 2); // checkAddress(SocketAddress) and (SocketAddress, ProtocolFamily)
    assertSites(
        HookPoints.SCHEDULED_TASK, 3); // the Runnable, periodic Runnable and Callable constructors
    // execute x2, submit x4, invoke, invokeAll x2, invokeAny x2; JDK 19+ adds schedule x2,
    // scheduleAtFixedRate, scheduleWithFixedDelay, submitWithTimeout
    assertSites(HookPoints.FORK_JOIN_POOL, Runtime.version().feature() >= 25 ? 16 : 11);
    assertSites(HookPoints.FORK_JOIN_TASK, 2); // fork, doExec
    assertTrue(transformer.failures().isEmpty(), transformer.failures().toString());
  }

  @Test
  void lookupHookDecidesAtEntryAndLearnsAtEveryReturn() throws IOException {
    byte[] out = transformer.instrument("java/net/InetAddress", jdkClass("java/net/InetAddress"));
    List<String> calls = bridgeCalls(out, "getAllByName0");
    assertEquals("lookup", calls.get(0));
    assertTrue(calls.contains("resolved"), calls.toString());
  }

  @Test
  void datagramConnectIsUdpAndSocketConnectIsTcp() throws IOException {
    byte[] udp =
        transformer.instrument(
            "sun/nio/ch/DatagramChannelImpl", jdkClass("sun/nio/ch/DatagramChannelImpl"));
    assertTrue(bridgeCalls(udp, null).contains("udpConnect"));
    assertTrue(bridgeCalls(udp, null).contains("udpSend"));
    assertTrue(!bridgeCalls(udp, null).contains("tcpConnect"));
    byte[] tcp =
        transformer.instrument("sun/nio/ch/NioSocketImpl", jdkClass("sun/nio/ch/NioSocketImpl"));
    assertEquals(List.of("tcpConnect"), bridgeCalls(tcp, null));
  }

  @Test
  void poolTasksCarryTheirSubmitter() throws IOException {
    byte[] scheduled =
        transformer.instrument(HookPoints.SCHEDULED_TASK, jdkClass(HookPoints.SCHEDULED_TASK));
    assertEquals(List.of("carry", "carry", "carry"), bridgeCalls(scheduled, "<init>"));
    byte[] pool =
        transformer.instrument(HookPoints.FORK_JOIN_POOL, jdkClass(HookPoints.FORK_JOIN_POOL));
    assertEquals(List.of("carryToPool"), bridgeCalls(pool, "execute", "(Ljava/lang/Runnable;)V"));
    assertEquals(
        List.of("carry"),
        bridgeCalls(
            pool,
            "submit",
            "(Ljava/util/concurrent/Callable;)Ljava/util/concurrent/ForkJoinTask;"));
    // the erased bridge overload calls the real submit: the task is captured once, there
    assertEquals(
        List.of(),
        bridgeCalls(
            pool, "submit", "(Ljava/util/concurrent/Callable;)Ljava/util/concurrent/Future;"));
    byte[] task =
        transformer.instrument(HookPoints.FORK_JOIN_TASK, jdkClass(HookPoints.FORK_JOIN_TASK));
    assertEquals(List.of("forked"), bridgeCalls(task, "fork"));
    assertEquals(List.of("taskStarts", "taskEnds"), bridgeCalls(task, "doExec"));
  }

  /** Every call inserted into the JDK names a public static method the bridge really has. */
  @Test
  void everyInsertedCallExistsInTheBridge() throws IOException {
    java.util.Set<String> bridge = new java.util.HashSet<>();
    for (java.lang.reflect.Method m : dev.egress.bootstrap.EgressBridge.class.getMethods()) {
      if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        bridge.add(m.getName() + net.bytebuddy.jar.asm.Type.getMethodDescriptor(m));
      }
    }
    for (String className : HookPoints.EXPECTED.keySet()) {
      for (String call :
          bridgeCallsWithDesc(transformer.instrument(className, jdkClass(className)))) {
        assertTrue(
            bridge.contains(call), className + " calls " + call + ", which the bridge lacks");
      }
    }
  }

  @Test
  void otherClassesAndOtherLoadersAreLeftAlone() throws IOException {
    assertNull(transformer.transform(null, "java/lang/String", null, null, new byte[0]));
    ClassLoader appLoader = getClass().getClassLoader();
    assertNull(
        transformer.transform(
            appLoader, "java/net/InetAddress", null, null, jdkClass("java/net/InetAddress")));
  }

  @Test
  void shadedLibraryClassesAreMatchedByNameSuffix() {
    assertEquals(HookPoints.NETTY_SOCKET, HookPoints.librarySuffix("io/netty/channel/unix/Socket"));
    assertEquals(
        HookPoints.NETTY_SOCKET,
        HookPoints.librarySuffix("io/grpc/netty/shaded/io/netty/channel/unix/Socket"));
    assertNull(HookPoints.librarySuffix("com/example/xio/netty/channel/unix/Socket"));
    assertNull(HookPoints.librarySuffix("io/netty/channel/unix/SocketX"));
  }

  @Test
  void nettyNativeConnectAndExecutorAreHooked() {
    byte[] socket =
        transformer.instrument(
            "shaded/io/netty/channel/unix/Socket",
            syntheticClass(
                "shaded/io/netty/channel/unix/Socket", "connect", "(Ljava/net/SocketAddress;)Z"),
            HookPoints.NETTY_SOCKET);
    assertEquals(List.of("tcpConnect"), bridgeCalls(socket, "connect"));
    byte[] executor =
        transformer.instrument(
            "io/netty/util/concurrent/SingleThreadEventExecutor",
            syntheticClass(
                "io/netty/util/concurrent/SingleThreadEventExecutor",
                "execute",
                "(Ljava/lang/Runnable;)V"),
            HookPoints.NETTY_EXECUTOR);
    assertEquals(List.of("carry"), bridgeCalls(executor, "execute"));
  }

  @Test
  void nettyHttpEncoderWriteGetsTheEncoderAndTheMessageBeforeTheEncoder() {
    String name = "software/amazon/awssdk/thirdparty/io/netty/handler/codec/http/HttpObjectEncoder";
    byte[] encoder =
        transformer.instrument(
            name,
            syntheticClass(
                name,
                "write",
                "(Lsoftware/amazon/awssdk/thirdparty/io/netty/channel/ChannelHandlerContext;"
                    + "Ljava/lang/Object;"
                    + "Lsoftware/amazon/awssdk/thirdparty/io/netty/channel/ChannelPromise;)V"),
            HookPoints.librarySuffix(name));
    assertEquals(List.of("httpWrite"), bridgeCalls(encoder, "write"));
    // At entry: this (the encoder) and msg (slot 2), then the bridge call; then the original body.
    assertEquals(
        List.of(
            "ALOAD 0",
            "ALOAD 2",
            "INVOKESTATIC httpWrite(Ljava/lang/Object;Ljava/lang/Object;)V",
            "RETURN"),
        instructions(encoder, "write"));
    assertNotNull(
        assertDoesNotThrow(
            () ->
                dev.egress.bootstrap.EgressBridge.class.getMethod(
                    "httpWrite", Object.class, Object.class)));
  }

  @Test
  void nettyEncoderWithoutItsOwnWriteIsLeftToTheFallbackWithoutAFailure() {
    String name = "io/netty/handler/codec/http/HttpObjectEncoder";
    byte[] out =
        transformer.instrument(
            name,
            syntheticClass(
                name, "encode", "(Ljava/lang/Object;Ljava/lang/Object;Ljava/util/List;)V"),
            HookPoints.NETTY_HTTP_WRITE);
    assertNull(out);
    assertTrue(transformer.failures().isEmpty(), transformer.failures().toString());
  }

  @Test
  void theRequestEncodersBridgeMethodIsNotHookedAgain() {
    // javac's bridge encodeInitialLine(ByteBuf, HttpMessage) calls encodeInitialLine(ByteBuf,
    // HttpRequest): hooking both judged (and in dry run recorded) one request twice.
    String name = "io/netty/handler/codec/http/HttpRequestEncoder";
    net.bytebuddy.jar.asm.ClassWriter cw =
        new net.bytebuddy.jar.asm.ClassWriter(net.bytebuddy.jar.asm.ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
    emptyMethod(
        cw,
        Opcodes.ACC_PROTECTED,
        "encodeInitialLine",
        "(Lio/netty/buffer/ByteBuf;Lio/netty/handler/codec/http/HttpRequest;)V");
    emptyMethod(
        cw,
        Opcodes.ACC_PROTECTED | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC,
        "encodeInitialLine",
        "(Lio/netty/buffer/ByteBuf;Lio/netty/handler/codec/http/HttpMessage;)V");
    cw.visitEnd();
    byte[] out = transformer.instrument(name, cw.toByteArray(), HookPoints.NETTY_HTTP_ENCODER);
    assertEquals(List.of("httpRequest"), bridgeCalls(out, "encodeInitialLine"));
    assertEquals(1, transformer.instrumentedSites().get(name));
  }

  /** A class with one instance method that returns a default value: the shape of the real one. */
  private static byte[] syntheticClass(String name, String method, String desc) {
    net.bytebuddy.jar.asm.ClassWriter cw =
        new net.bytebuddy.jar.asm.ClassWriter(net.bytebuddy.jar.asm.ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
    emptyMethod(cw, Opcodes.ACC_PUBLIC, method, desc);
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static void emptyMethod(
      net.bytebuddy.jar.asm.ClassWriter cw, int access, String method, String desc) {
    MethodVisitor mv = cw.visitMethod(access, method, desc, null, null);
    mv.visitCode();
    if (desc.endsWith(")Z")) {
      mv.visitInsn(Opcodes.ICONST_0);
      mv.visitInsn(Opcodes.IRETURN);
    } else {
      mv.visitInsn(Opcodes.RETURN);
    }
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  /** The instructions of {@code method}: loads, calls and returns, as text. */
  private static List<String> instructions(byte[] classfile, String method) {
    List<String> out = new ArrayList<>();
    readCode(
        classfile,
        method,
        new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitVarInsn(int op, int slot) {
            out.add((op == Opcodes.ALOAD ? "ALOAD " : op + " ") + slot);
          }

          @Override
          public void visitMethodInsn(int op, String owner, String n, String d, boolean itf) {
            out.add((op == Opcodes.INVOKESTATIC ? "INVOKESTATIC " : op + " ") + n + d);
          }

          @Override
          public void visitInsn(int op) {
            out.add(op == Opcodes.RETURN ? "RETURN" : String.valueOf(op));
          }
        });
    return out;
  }

  private void assertSites(String className, int expected) throws IOException {
    byte[] out = transformer.instrument(className, jdkClass(className));
    assertNotNull(out, className);
    assertEquals(expected, transformer.instrumentedSites().get(className), className);
  }

  static byte[] jdkClass(String internalName) throws IOException {
    Class<?> anchor =
        internalName.startsWith("jdk/internal/net/http/")
            ? java.net.http.HttpClient.class
            : Object.class;
    try (InputStream in = anchor.getResourceAsStream("/" + internalName + ".class")) {
      assertNotNull(in, internalName);
      return in.readAllBytes();
    }
  }

  /** The bridge methods called in {@code method} with descriptor {@code desc}, in order. */
  private static List<String> bridgeCalls(byte[] classfile, String method, String desc) {
    return bridgeCalls(classfile, (n, d) -> n.equals(method) && d.equals(desc), false);
  }

  /** Name and descriptor of each bridge method called anywhere in the class. */
  private static List<String> bridgeCallsWithDesc(byte[] classfile) {
    return bridgeCalls(classfile, (n, d) -> true, true);
  }

  /** The bridge methods called in the class (in {@code method} only, unless null), in order. */
  private static List<String> bridgeCalls(byte[] classfile, String method) {
    return bridgeCalls(classfile, (n, d) -> method == null || method.equals(n), false);
  }

  /** The bridge calls (names, with descriptors if asked) of the methods {@code which} accepts. */
  private static List<String> bridgeCalls(
      byte[] classfile, java.util.function.BiPredicate<String, String> which, boolean withDesc) {
    List<String> calls = new ArrayList<>();
    readCode(
        classfile,
        which,
        new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMethodInsn(int op, String owner, String n, String d, boolean itf) {
            if (owner.equals(HookPoints.BRIDGE)) {
              calls.add(withDesc ? n + d : n);
            }
          }
        });
    return calls;
  }

  /**
   * Feeds the code of the methods named {@code method} (of every method, if null) to {@code code}.
   */
  private static void readCode(byte[] classfile, String method, MethodVisitor code) {
    readCode(classfile, (n, d) -> method == null || method.equals(n), code);
  }

  /** Feeds the code of the methods {@code which} accepts (name, descriptor) to {@code code}. */
  private static void readCode(
      byte[] classfile, java.util.function.BiPredicate<String, String> which, MethodVisitor code) {
    new ClassReader(classfile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public MethodVisitor visitMethod(
                  int access, String name, String desc, String sig, String[] ex) {
                return which.test(name, desc) ? code : null;
              }
            },
            0);
  }
}
