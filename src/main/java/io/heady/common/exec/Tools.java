package io.heady.common.exec;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The external programs the runner relies on, each {@code null} where this machine lacks it. Looked up once
 * per JVM ({@link #system()}); tests build their own to exercise the fallbacks.
 *
 * @param setsid util-linux {@code setsid}: start the task as a new session and process group leader
 * @param kill a {@code kill} program that accepts {@code -- -PGID} to signal a whole process group
 * @param nice {@code nice}, to lower the priority of tasks that run at speed ON or OFF
 */
record Tools(Path setsid, Path kill, Path nice) {

  /** A machine with none of the tools: the portable fallback (descendants, then the process). */
  static final Tools NONE = new Tools(null, null, null);

  private static final class Holder {
    static final Tools SYSTEM = new Tools(find("setsid"), find("kill"), find("nice"));
  }

  /** The tools of this machine, detected on first use. */
  static Tools system() {
    return Holder.SYSTEM;
  }

  /** Whether tasks get their own process group (and so can be killed as one). */
  boolean groups() {
    return setsid != null;
  }

  // why: the usual system directories first, so a user's PATH cannot substitute another "kill" or "setsid"
  private static Path find(String name) {
    List<String> dirs = new ArrayList<>(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        if (!d.isEmpty()) {
          dirs.add(d);
        }
      }
    }
    for (String d : dirs) {
      Path p = Path.of(d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
