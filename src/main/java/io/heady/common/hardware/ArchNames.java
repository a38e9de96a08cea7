package io.heady.common.hardware;

import java.util.Locale;
import java.util.Map;

/**
 * One name per CPU architecture on every OS, so that {@code requires.arch} means the same thing for a task
 * on a Mac, a Pi and a Windows box.
 */
final class ArchNames {
  static final String X86_64 = "x86_64";
  static final String AARCH64 = "aarch64";
  static final String ARMV7 = "armv7";
  static final String ARMV6 = "armv6";
  static final String X86 = "x86";
  /** Java's {@code os.arch} on 32-bit ARM: says nothing about the ARM version. */
  private static final String ARM_UNSPECIFIED = "arm";

  private static final Map<String, String> ALIASES = Map.ofEntries(
      Map.entry("x86_64", X86_64),
      Map.entry("amd64", X86_64),
      Map.entry("x64", X86_64),
      Map.entry("x86-64", X86_64),
      Map.entry("x86_64h", X86_64),
      Map.entry("em64t", X86_64),
      Map.entry("aarch64", AARCH64),
      Map.entry("arm64", AARCH64),
      Map.entry("arm64e", AARCH64),
      Map.entry("armv8", AARCH64),
      Map.entry("armv8a", AARCH64),
      // why: armv8l is a 32-bit process on an ARMv8 core; it runs armhf binaries, like armv7
      Map.entry("armv8l", ARMV7),
      Map.entry("armv7", ARMV7),
      Map.entry("armv7l", ARMV7),
      Map.entry("armv7a", ARMV7),
      Map.entry("armv7-a", ARMV7),
      Map.entry("armv7hl", ARMV7),
      Map.entry("armhf", ARMV7),
      Map.entry("armv6", ARMV6),
      Map.entry("armv6l", ARMV6),
      Map.entry("armv6hf", ARMV6),
      Map.entry("arm", ARM_UNSPECIFIED),
      Map.entry("arm32", ARM_UNSPECIFIED),
      Map.entry("x86", X86),
      Map.entry("i386", X86),
      Map.entry("i486", X86),
      Map.entry("i586", X86),
      Map.entry("i686", X86),
      Map.entry("ia32", X86),
      Map.entry("riscv64", "riscv64"),
      Map.entry("ppc64le", "ppc64le"),
      Map.entry("powerpc64le", "ppc64le"),
      Map.entry("ppc64", "ppc64"),
      Map.entry("s390x", "s390x"));

  private ArchNames() {}

  /**
   * The architecture tasks on this node run as.
   *
   * <p>The JVM's {@code os.arch} wins: it names the userland a task's binaries must match (a 32-bit Pi OS on
   * a 64-bit kernel says {@code aarch64} in {@code uname -m}, but runs armhf programs). {@code uname -m}
   * only refines Java's bare {@code arm} into armv6 or armv7, and stands in when {@code os.arch} is unknown.
   *
   * @param osArch {@code System.getProperty("os.arch")}, may be null
   * @param unameM the output of {@code uname -m}, null where there is none (Windows)
   * @return x86_64, aarch64, armv7, armv6, riscv64, ppc64le, s390x, x86, ppc64, or the raw name in lower case
   *     when it is none of these ("unknown" when both are blank)
   */
  static String normalize(String osArch, String unameM) {
    String java = canonical(osArch);
    String uname = canonical(unameM);
    if (ARM_UNSPECIFIED.equals(java)) {
      return ARMV6.equals(uname) ? ARMV6 : ARMV7;
    }
    if (java != null) {
      return java;
    }
    if (uname != null) {
      return ARM_UNSPECIFIED.equals(uname) ? ARMV7 : uname;
    }
    String raw = clean(unameM) != null ? clean(unameM) : clean(osArch);
    return raw != null ? raw : "unknown";
  }

  private static String canonical(String name) {
    String c = clean(name);
    return c == null ? null : ALIASES.get(c);
  }

  private static String clean(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    return name.trim().toLowerCase(Locale.ROOT);
  }
}
