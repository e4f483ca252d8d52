package dev.egress.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Defines classes in the boot loader through the JDK's internal {@code Unsafe.defineClass}, called
 * from a small class generated here rather than through reflection: on JDK 18+ the first reflective
 * call of a 6-argument method spins method-handle classes, which measured 14 ms of the agent's
 * start-up on JDK 25 (2 ms on 17). The generated class calls {@code Unsafe} directly and hands an
 * instance of itself to {@link #register} from its static initializer, so that neither defining nor
 * calling it goes through reflection.
 *
 * <p>The generated class lives alone in a class loader of its own, and {@code jdk.internal.misc} is
 * exported ({@link Instrumentation#redefineModule}) to that loader's unnamed module only: exported
 * to the application loader's, it would hand {@code Unsafe} to every class of the class path, and
 * to anything user code manages to define there. The instance is dropped after use.
 */
public final class UnsafeDefiner {
  /** Defines one class (binary name, class file) in the boot loader. */
  public interface Definer {
    void define(String name, byte[] classfile);
  }

  private static final String SELF = "dev/egress/agent/instrument/UnsafeDefiner";
  private static final String GENERATED = SELF + "$Generated";
  private static final String DEFINER = SELF + "$Definer";
  private static final String UNSAFE = "jdk/internal/misc/Unsafe";

  private static volatile Definer registered;

  private UnsafeDefiner() {}

  /**
   * Called by the generated class's static initializer (public: it is in another loader). Only the
   * first call between {@link #create}'s definition and its read counts; later calls are dropped.
   */
  public static void register(Definer definer) {
    registered = definer;
  }

  /**
   * Generates the calling class in a loader of its own, exports {@code jdk.internal.misc} to that
   * loader's module only, initializes the class and returns its instance.
   */
  static Definer create(Instrumentation inst) throws ClassNotFoundException {
    OneClassLoader loader = new OneClassLoader(UnsafeDefiner.class.getClassLoader());
    inst.redefineModule(
        Object.class.getModule(),
        Set.of(),
        Map.of("jdk.internal.misc", Set.of(loader.getUnnamedModule())),
        Map.of(),
        Set.of(),
        Map.of());
    loader.define(classFile());
    registered = null;
    Class.forName(GENERATED.replace('/', '.'), true, loader); // runs the initializer: register()
    Definer d = registered;
    registered = null;
    if (d == null) {
      throw new IllegalStateException("the generated boot-loader definer did not register");
    }
    return d;
  }

  /** Holds the generated class and nothing else. */
  private static final class OneClassLoader extends ClassLoader {
    OneClassLoader(ClassLoader parent) {
      super(parent);
    }

    void define(byte[] classfile) {
      defineClass(null, classfile, 0, classfile.length);
    }
  }

  private static byte[] classFile() {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC,
        GENERATED,
        null,
        "java/lang/Object",
        new String[] {DEFINER});

    MethodVisitor init = cw.visitMethod(0, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();

    // define(name, b): Unsafe.getUnsafe().defineClass(name, b, 0, b.length, null, null)
    MethodVisitor define =
        cw.visitMethod(Opcodes.ACC_PUBLIC, "define", "(Ljava/lang/String;[B)V", null, null);
    define.visitCode();
    define.visitMethodInsn(Opcodes.INVOKESTATIC, UNSAFE, "getUnsafe", "()L" + UNSAFE + ";", false);
    define.visitVarInsn(Opcodes.ALOAD, 1);
    define.visitVarInsn(Opcodes.ALOAD, 2);
    define.visitInsn(Opcodes.ICONST_0);
    define.visitVarInsn(Opcodes.ALOAD, 2);
    define.visitInsn(Opcodes.ARRAYLENGTH);
    define.visitInsn(Opcodes.ACONST_NULL);
    define.visitInsn(Opcodes.ACONST_NULL);
    define.visitMethodInsn(
        Opcodes.INVOKEVIRTUAL,
        UNSAFE,
        "defineClass",
        "(Ljava/lang/String;[BIILjava/lang/ClassLoader;Ljava/security/ProtectionDomain;)"
            + "Ljava/lang/Class;",
        false);
    define.visitInsn(Opcodes.POP);
    define.visitInsn(Opcodes.RETURN);
    define.visitMaxs(0, 0);
    define.visitEnd();

    MethodVisitor clinit = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
    clinit.visitCode();
    clinit.visitTypeInsn(Opcodes.NEW, GENERATED);
    clinit.visitInsn(Opcodes.DUP);
    clinit.visitMethodInsn(Opcodes.INVOKESPECIAL, GENERATED, "<init>", "()V", false);
    clinit.visitMethodInsn(Opcodes.INVOKESTATIC, SELF, "register", "(L" + DEFINER + ";)V", false);
    clinit.visitInsn(Opcodes.RETURN);
    clinit.visitMaxs(0, 0);
    clinit.visitEnd();

    cw.visitEnd();
    return cw.toByteArray();
  }
}
