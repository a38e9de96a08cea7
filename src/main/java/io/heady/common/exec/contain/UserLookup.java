package io.heady.common.exec.contain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Finds accounts by name: {@code getent passwd NAME} (which also sees directory services), else
 * {@code /etc/passwd}. Blocking; used at start and when a task asks for a user.
 */
public final class UserLookup {
  private UserLookup() {}

  /** This machine's accounts. */
  public static Function<String, UserEntry> system() {
    return name -> {
      UserEntry e = getent(name);
      return e != null ? e : fromFile(Path.of("/etc/passwd"), name);
    };
  }

  /** The entry for {@code name} in a passwd file, or {@code null}. */
  public static UserEntry fromFile(Path passwd, String name) {
    try {
      for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
        UserEntry e = UserEntry.parse(line);
        if (e != null && e.name().equals(name)) {
          return e;
        }
      }
    } catch (IOException | RuntimeException e) {
      // why: no file is "no such user"; the caller says so
    }
    return null;
  }

  private static UserEntry getent(String name) {
    if (!name.matches("[a-z_][a-z0-9_-]{0,31}\\$?")) {
      return null;
    }
    try {
      Process p = new ProcessBuilder("getent", "passwd", name).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      byte[] out = p.getInputStream().readNBytes(4096);
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      if (p.exitValue() != 0) {
        return null;
      }
      UserEntry e = UserEntry.parse(new String(out, StandardCharsets.UTF_8).split("\n")[0]);
      return e != null && e.name().equals(name) ? e : null;
    } catch (IOException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
