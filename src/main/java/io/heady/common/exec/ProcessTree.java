package io.heady.common.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Looking at and signalling processes by pid and process-group id; never by name. */
final class ProcessTree {
  private static final Path PROC = Path.of("/proc");

  private ProcessTree() {}

  /**
   * Whether the process is running. Unlike {@link ProcessHandle#isAlive()} a zombie (dead, not yet reaped
   * by its parent) counts as gone: it holds no resources and cannot be killed any further.
   */
  static boolean alive(ProcessHandle h) {
    if (!h.isAlive()) {
      return false;
    }
    Stat s = stat(h.pid());
    if (s != null) {
      return !s.dead();
    }
    // no stat: either this system has no /proc (trust isAlive) or the process vanished just now
    return !Files.isDirectory(PROC);
  }

  /** Live (non-zombie) members of a process group, by scanning /proc; empty where there is no /proc. */
  static List<Long> groupMembers(long pgid) {
    List<Long> out = new ArrayList<>();
    if (!Files.isDirectory(PROC)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
          continue;
        }
        long pid;
        try {
          pid = Long.parseLong(name);
        } catch (NumberFormatException e) {
          continue;
        }
        Stat s = stat(pid);
        if (s != null && s.pgrp() == pgid && !s.dead()) {
          out.add(pid);
        }
      }
    } catch (IOException | RuntimeException e) {
      // why: a failed scan must not stop a kill; the group signal and descendants() still apply
    }
    return out;
  }

  /**
   * Sends a signal to every member of a process group with the {@code kill} program ({@code kill -SIG --
   * -PGID}); waits at most two seconds for it. Errors (no such group) are ignored.
   */
  static void signalGroup(Path kill, String signal, long pgid) {
    if (kill == null || pgid <= 1) {
      return;
    }
    try {
      Process p = new ProcessBuilder(kill.toString(), "-" + signal, "--", "-" + pgid)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      // why: the caller follows up with ProcessHandle.destroy() on every member it can see
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The fields of /proc/PID/stat heady needs. */
  record Stat(char state, long ppid, long pgrp, long session) {
    boolean dead() {
      return state == 'Z' || state == 'X' || state == 'x';
    }
  }

  /** Reads /proc/PID/stat; {@code null} when the process does not exist or there is no /proc. */
  static Stat stat(long pid) {
    try {
      String s = new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("stat")),
          StandardCharsets.ISO_8859_1);
      // why: the command name in parentheses may itself hold spaces and ')', so parse after the last ')'
      int close = s.lastIndexOf(')');
      if (close < 0 || close + 2 >= s.length()) {
        return null;
      }
      String[] f = s.substring(close + 2).trim().split(" ");
      return new Stat(f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
