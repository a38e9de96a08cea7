package io.heady.common.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormalizeArchTest {

  @ParameterizedTest(name = "os.arch={0}, uname -m={1} -> {2} ({3})")
  @CsvSource(nullValues = "null", textBlock = """
      # os.arch   | uname -m    | expected    | where
      amd64       | x86_64      | x86_64      | Linux x86_64
      amd64       | null        | x86_64      | Windows (no uname)
      x86_64      | x86_64      | x86_64      | macOS Intel
      x64         | null        | x86_64      | ''
      x86-64      | null        | x86_64      | ''
      AMD64       | null        | x86_64      | upper case
      aarch64     | aarch64     | aarch64     | Pi OS 64-bit, Linux arm64 servers
      aarch64     | arm64       | aarch64     | macOS Apple Silicon
      arm64       | null        | aarch64     | ''
      arm         | armv7l      | armv7       | Pi OS 32-bit on a Pi 2/3/4
      arm         | armv6l      | armv6       | Pi Zero / Pi 1
      arm         | aarch64     | armv7       | 32-bit Pi OS userland on a 64-bit kernel: armhf binaries
      arm         | armv8l      | armv7       | ''
      arm         | null        | armv7       | 32-bit ARM, no uname
      armhf       | null        | armv7       | ''
      armv7l      | null        | armv7       | ''
      null        | armv7l      | armv7       | no os.arch at all
      null        | armv6l      | armv6       | ''
      ''          | arm64       | aarch64     | ''
      riscv64     | riscv64     | riscv64     | ''
      ppc64le     | ppc64le     | ppc64le     | ''
      null        | powerpc64le | ppc64le     | ''
      s390x       | s390x       | s390x       | ''
      x86         | i686        | x86         | 32-bit x86 JVM
      i386        | x86_64      | x86         | 32-bit JVM on a 64-bit kernel runs 32-bit userland
      amd64       | ' x86_64\\n' | x86_64      | uname output with its newline
      loongarch64 | loongarch64 | loongarch64 | unknown: kept, lower case
      null        | null        | unknown     | ''
      """, delimiter = '|')
  void namesEachArchitectureOneWay(String osArch, String unameM, String expected, String where) {
    String uname = unameM == null ? null : unameM.replace("\\n", "\n");
    assertEquals(expected, HardwareProbe.normalizeArch(osArch, uname));
  }
}
