package dev.querylens.agent;

import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.jar.asm.ConstantDynamic;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Loads a {@code MethodHandle} on a static method of the agent's hooks, reached from JDK types alone:
 * {@code MethodHandles.publicLookup().findStatic(ClassLoader.getSystemClassLoader().loadClass(hooks), method, type)}.
 *
 * <p>In a class file of Java 11 or later (every JDK class the agent instruments) it is one dynamic constant, which the
 * JVM resolves once per instrumented class; each call afterwards loads a constant. An older class file cannot hold a
 * dynamic constant (the JVM refuses to define it, as it would Spring 5's {@code SimpleAsyncTaskExecutor}, a Java 8
 * class): there the same chain of calls is emitted and runs on every call, a few microseconds beside the thread such an
 * executor starts per task. The constant is written with ASM rather than Byte Buddy's {@code JavaConstant}, whose
 * set-up (dispatchers generated per JDK type it may describe) was a tenth of the agent's start.
 */
record TaskHookConstant(String hooksClass, String method, String descriptor) implements StackManipulation {

    private static final String CONSTANT_NAME = "_";
    private static final Handle INVOKE = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/ConstantBootstraps",
            "invoke", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;"
            + "Ljava/lang/invoke/MethodHandle;[Ljava/lang/Object;)Ljava/lang/Object;", false);
    private static final String CLASS_LOADER = "java/lang/ClassLoader";
    private static final String METHOD_HANDLES = "java/lang/invoke/MethodHandles";
    private static final String LOOKUP = "java/lang/invoke/MethodHandles$Lookup";
    private static final String SYSTEM_LOADER = "getSystemClassLoader";
    private static final String SYSTEM_LOADER_DESCRIPTOR = "()Ljava/lang/ClassLoader;";
    private static final String LOAD_CLASS = "loadClass";
    private static final String LOAD_CLASS_DESCRIPTOR = "(Ljava/lang/String;)Ljava/lang/Class;";
    private static final String PUBLIC_LOOKUP = "publicLookup";
    private static final String PUBLIC_LOOKUP_DESCRIPTOR = "()Ljava/lang/invoke/MethodHandles$Lookup;";
    private static final String FIND_STATIC = "findStatic";
    private static final String FIND_STATIC_DESCRIPTOR =
            "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;";

    @Override
    public boolean isValid() {
        return true;
    }

    @Override
    public Size apply(MethodVisitor visitor, Implementation.Context context) {
        if (context.getClassFileVersion().isAtLeast(ClassFileVersion.JAVA_V11)) {
            visitor.visitLdcInsn(constant());
            return new Size(1, 1);
        }
        visitor.visitMethodInsn(Opcodes.INVOKESTATIC, METHOD_HANDLES, PUBLIC_LOOKUP, PUBLIC_LOOKUP_DESCRIPTOR, false);
        visitor.visitMethodInsn(Opcodes.INVOKESTATIC, CLASS_LOADER, SYSTEM_LOADER, SYSTEM_LOADER_DESCRIPTOR, false);
        visitor.visitLdcInsn(hooksClass);
        visitor.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CLASS_LOADER, LOAD_CLASS, LOAD_CLASS_DESCRIPTOR, false);
        visitor.visitLdcInsn(method);
        // a MethodType constant needs Java 7 class files; the method's types are all the JDK's
        visitor.visitLdcInsn(descriptor);
        visitor.visitInsn(Opcodes.ACONST_NULL);
        visitor.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodType", "fromMethodDescriptorString",
                "(Ljava/lang/String;Ljava/lang/ClassLoader;)Ljava/lang/invoke/MethodType;", false);
        visitor.visitMethodInsn(Opcodes.INVOKEVIRTUAL, LOOKUP, FIND_STATIC, FIND_STATIC_DESCRIPTOR, false);
        return new Size(1, 5);
    }

    /** The dynamic constant that {@code ConstantBootstraps.invoke} resolves, as Byte Buddy would write it. */
    ConstantDynamic constant() {
        ConstantDynamic systemLoader = invocation("Ljava/lang/ClassLoader;",
                new Handle(Opcodes.H_INVOKESTATIC, CLASS_LOADER, SYSTEM_LOADER, SYSTEM_LOADER_DESCRIPTOR, false));
        ConstantDynamic hooks = invocation("Ljava/lang/Class;",
                new Handle(Opcodes.H_INVOKEVIRTUAL, CLASS_LOADER, LOAD_CLASS, LOAD_CLASS_DESCRIPTOR, false),
                systemLoader, hooksClass);
        ConstantDynamic lookup = invocation("L" + LOOKUP + ";",
                new Handle(Opcodes.H_INVOKESTATIC, METHOD_HANDLES, PUBLIC_LOOKUP, PUBLIC_LOOKUP_DESCRIPTOR, false));
        return invocation("Ljava/lang/invoke/MethodHandle;",
                new Handle(Opcodes.H_INVOKEVIRTUAL, LOOKUP, FIND_STATIC, FIND_STATIC_DESCRIPTOR, false),
                lookup, hooks, method, Type.getMethodType(descriptor));
    }

    private static ConstantDynamic invocation(String type, Handle target, Object... arguments) {
        Object[] bootstrapArguments = new Object[arguments.length + 1];
        bootstrapArguments[0] = target;
        System.arraycopy(arguments, 0, bootstrapArguments, 1, arguments.length);
        return new ConstantDynamic(CONSTANT_NAME, type, INVOKE, bootstrapArguments);
    }
}
