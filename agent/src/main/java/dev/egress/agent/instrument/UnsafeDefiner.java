package dev.egress.agent.instrument;

import java.lang.invoke.MethodHandles;
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
 * <p>Needs {@code jdk.internal.misc} exported to this class's module first ({@link
 * java.lang.instrument.Instrumentation#redefineModule}).
 */
final class UnsafeDefiner {
  /** Defines one class (binary name, class file) in the boot loader. */
  interface Definer {
    void define(String name, byte[] classfile);
  }

  private static final String SELF = "dev/egress/agent/instrument/UnsafeDefiner";
  private static final String GENERATED = SELF + "$Generated";
  private static final String DEFINER = SELF + "$Definer";
  private static final String UNSAFE = "jdk/internal/misc/Unsafe";

  private static volatile Definer registered;

  private UnsafeDefiner() {}

  /** Called by the generated class's static initializer. */
  static void register(Definer definer) {
    registered = definer;
  }

  /** Generates, defines and initializes the calling class; returns its instance. */
  static Definer create() throws IllegalAccessException {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    Class<?> generated = lookup.defineClass(classFile());
    lookup.ensureInitialized(generated);
    Definer d = registered;
    if (d == null) {
      throw new IllegalStateException("the generated boot-loader definer did not register");
    }
    return d;
  }

  private static byte[] classFile() {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(
        Opcodes.V17,
        Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC,
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
