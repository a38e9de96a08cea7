package io.heady.common.exec.contain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The system programs containment uses, looked for only in the system's own folders (never the user's PATH). */
final class Programs {
  private static final List<String> DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");

  private Programs() {}

  /** The program's absolute path, or {@code null} when this machine lacks it. */
  static String find(String name) {
    for (String d : DIRS) {
      Path p = Path.of(d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
