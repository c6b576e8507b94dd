package dev.querylens.agent;

import java.nio.charset.StandardCharsets;

/**
 * Turns a class away before Byte Buddy describes it: Byte Buddy parses every class file it is handed to match it,
 * which is most of the agent's cost at an application's start (a Spring Boot application loads some 15,000
 * classes, of which a handful are instrumented). A {@link Weaver} describes only the classes its filter lets
 * through; a filter never turns away a class the weaver's rules would take, and lets through what it cannot read.
 */
final class ClassFilePrefilter {

    /** Whether a class may match: by its loader, its internal name ({@code a/b/C}) or its class file. */
    interface Filter {
        boolean mayMatch(ClassLoader loader, String internalName, byte[] classFile);
    }

    private ClassFilePrefilter() {
    }

    /**
     * Whether the class file's constant pool holds one of {@code names} as a UTF-8 entry: the name of every method,
     * field and type a class declares or refers to is one. A walk over the pool, comparing only entries of a
     * needle's length; true for a class file it cannot read (malformed, or a constant-pool tag newer than it knows).
     */
    static boolean mentionsAny(byte[] classFile, byte[][] names) {
        return scan(classFile, names, false);
    }

    /**
     * Whether one of the class file's UTF-8 constants starts with one of {@code prefixes} (a method descriptor by
     * its first parameter, say); true for a class file it cannot read, as {@link #mentionsAny}.
     */
    static boolean mentionsAnyStart(byte[] classFile, byte[][] prefixes) {
        return scan(classFile, prefixes, true);
    }

    private static boolean scan(byte[] classFile, byte[][] names, boolean prefix) {
        try {
            if (classFile == null || classFile.length < 10 || u4(classFile, 0) != 0xCAFEBABE) {
                return true;
            }
            int count = u2(classFile, 8);
            int at = 10;
            for (int i = 1; i < count; i++) {
                int tag = classFile[at] & 0xFF;
                switch (tag) {
                    case 1 -> { // Utf8
                        int length = u2(classFile, at + 1);
                        if (prefix ? anyStarts(classFile, at + 3, length, names)
                                : anyEquals(classFile, at + 3, length, names)) {
                            return true;
                        }
                        at += 3 + length;
                    }
                    case 3, 4 -> at += 5; // Integer, Float
                    case 5, 6 -> { // Long, Double: two slots
                        at += 9;
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> at += 3; // Class, String, MethodType, Module, Package
                    case 9, 10, 11, 12, 17, 18 -> at += 5; // member refs, NameAndType, Dynamic, InvokeDynamic
                    case 15 -> at += 4; // MethodHandle
                    default -> {
                        return true;
                    }
                }
            }
            return false;
        } catch (RuntimeException malformed) {
            return true;
        }
    }

    /** {@code names} as the modified UTF-8 of a class file (plain ASCII for the names the agent looks for). */
    static byte[][] utf8(String... names) {
        byte[][] bytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            bytes[i] = names[i].getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

    private static boolean anyEquals(byte[] b, int from, int length, byte[][] names) {
        for (byte[] name : names) {
            if (name.length == length && regionEquals(b, from, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyStarts(byte[] b, int from, int length, byte[][] prefixes) {
        for (byte[] p : prefixes) {
            if (p.length <= length && regionEquals(b, from, p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionEquals(byte[] b, int from, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (b[from + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int u4(byte[] b, int at) {
        return (u2(b, at) << 16) | u2(b, at + 2);
    }
}
