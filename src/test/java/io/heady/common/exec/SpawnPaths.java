package io.heady.common.exec;

import io.heady.common.exec.contain.Containment;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** For tests outside this package: a runner that spawns through ProcessBuilder even where native spawn works. */
public final class SpawnPaths {
  private SpawnPaths() {}

  public static ProcessRunner processBuilder(ExecutorService threads, ScheduledExecutorService timers,
      Containment containment) {
    return new ProcessRunner(threads, timers, Tools.system(), System.getenv(), containment, null);
  }

  /**
   * The control groups ({@code /proc/PID/task/TID/cgroup}) of each of this JVM's native spawner threads, by
   * thread id (the JVM names the OS thread after the Java one, cut to 15 characters).
   */
  public static java.util.Map<String, String> spawnerThreadGroups() throws java.io.IOException {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
      for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) s::iterator) {
        try {
          String comm = java.nio.file.Files.readString(t.resolve("comm")).trim();
          if (comm.startsWith("heady-spawn-")) {
            out.put(t.getFileName().toString(), java.nio.file.Files.readString(t.resolve("cgroup")));
          }
        } catch (java.io.IOException e) {
          // the thread ended meanwhile
        }
      }
    }
    return out;
  }
}
