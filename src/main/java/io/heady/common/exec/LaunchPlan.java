package io.heady.common.exec;

import io.heady.common.exec.contain.AttemptBox;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked, ready launch for a spec (a {@link NativeSpawner.Request}, or a {@link ProcessBuilder} where the
 * native spawner cannot run), or the reason it cannot run. Everything that can be known before spawning is
 * checked here, because once a prefix program wraps the task's program a failed exec would only show as exit
 * status 127 and a line on stderr.
 *
 * @param builder the builder for the ProcessBuilder path, else {@code null}
 * @param request the native spawn, else {@code null}
 * @param program the program the task runs (argv[0], or {@code /bin/sh})
 * @param error why it cannot run, or {@code null}
 */
record LaunchPlan(ProcessBuilder builder, NativeSpawner.Request request, String program, String error) {
  static final String SHELL = "/bin/sh";
  // why: what execvp(3) searches when PATH is unset
  private static final String DEFAULT_PATH = "/bin:/usr/bin";

  static LaunchPlan failed(String program, String error) {
    return new LaunchPlan(null, null, program, error);
  }

  static LaunchPlan prepare(ProcessSpec spec, Tools tools, Map<String, String> inheritedEnv) {
    return prepare(spec, tools, inheritedEnv, null, spec.progressFile(), false);
  }

  /**
   * @param box the attempt's containment: its prefix goes between {@code setsid} and {@code nice}, its
   *     variables (the task user's {@code HOME}, …) under the task's own, its private folder is the working
   *     directory of a task that names none; {@code null}: none
   * @param progressFile where the task's progress file is, or {@code null}
   * @param nativeSpawn plan a {@link NativeSpawner.Request} (no {@code setsid}/{@code nice} programs; on cgroup
   *     v1 the spawner thread places the task, so the placement shell goes too) instead of a builder
   */
  static LaunchPlan prepare(ProcessSpec spec, Tools tools, Map<String, String> inheritedEnv, AttemptBox box,
      Path progressFile, boolean nativeSpawn) {
    boolean shell = spec.argv().isEmpty();
    String program = shell ? SHELL : spec.argv().get(0);
    if (shell && (spec.command() == null || spec.command().isEmpty())) {
      return failed(program, "nothing to run: command and argv are both empty");
    }
    if (program.isEmpty()) {
      return failed(program, "nothing to run: argv[0] is empty");
    }
    File dir = null;
    if (spec.cwd() != null) {
      dir = new File(spec.cwd());
      if (!dir.exists()) {
        return failed(program, "cwd does not exist: " + spec.cwd());
      }
      if (!dir.isDirectory()) {
        return failed(program, "cwd is not a directory: " + spec.cwd());
      }
    } else if (box != null && box.privateDir() != null) {
      // why: the node's own working directory (often its data dir) is closed to the task's user
      dir = box.privateDir().toFile();
    }

    Map<String, String> env = new LinkedHashMap<>();
    inheritedEnv.forEach((k, v) -> {
      if (!isHeady(k)) {
        env.put(k, v);
      }
    });
    if (box != null) {
      env.putAll(box.env());
    }
    env.putAll(spec.env());
    env.putAll(spec.secrets());
    if (progressFile != null) {
      // why: set after the filter and after the task's own env, so neither can point it elsewhere
      env.put(ProcessSpec.PROGRESS_FILE_ENV, progressFile.toAbsolutePath().toString());
    }

    String notRunnable = checkProgram(program, env.get("PATH"), dir);
    if (notRunnable != null) {
      return failed(program, "cannot run program \"" + program + "\": " + notRunnable);
    }
    int niceness = niceness(spec.speed());
    List<String> task = shell ? List.of(SHELL, "-c", spec.command()) : spec.argv();
    if (nativeSpawn) {
      List<Path> placeIn = List.of();
      List<String> prefix = box == null ? List.of() : box.prefix();
      if (box != null && box.whole() && !box.group().threadPlacement().isEmpty()
          && NativeSpawner.placeable(box.group().applied().pids())) {
        placeIn = box.group().threadPlacement();
        prefix = box.afterPlacement();
      }
      List<String> argv = new ArrayList<>(prefix);
      argv.addAll(task);
      // why: posix_spawn does not search PATH, and posix_spawnp would search this JVM's, not the task's
      String path = prefix.isEmpty() ? locate(program, env.get("PATH"), dir) : prefix.get(0);
      return new LaunchPlan(null, new NativeSpawner.Request(path, argv, env, dir == null ? null : dir.getPath(),
          niceness, placeIn), program, null);
    }

    ProcessBuilder pb = new ProcessBuilder();
    pb.environment().clear();
    pb.environment().putAll(env);
    List<String> cmd = new ArrayList<>();
    if (tools.setsid() != null) {
      cmd.add(tools.setsid().toString());
      cmd.add("--");
    }
    if (box != null) {
      cmd.addAll(box.prefix());
    }
    if (niceness > 0 && tools.nice() != null) {
      cmd.add(tools.nice().toString());
      cmd.add("-n");
      cmd.add(Integer.toString(niceness));
      cmd.add("--");
    }
    cmd.addAll(task);
    pb.command(cmd);
    pb.directory(dir);
    // why: a task that reads stdin (cat, a prompt) must see end-of-file, not wait until its timeout
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return new LaunchPlan(pb, null, program, null);
  }

  /**
   * Inherited variables heady never passes on: the agent's own settings and secrets (the join token). The
   * match ignores case, to be safe on the side of not leaking.
   */
  static boolean isHeady(String name) {
    return name.regionMatches(true, 0, "HEADY_", 0, 6);
  }

  /** The {@code nice} increment for a speed: OFF 10, ON 5, MAX or none 0. */
  static int niceness(String speed) {
    if ("OFF".equals(speed)) {
      return 10;
    }
    if ("ON".equals(speed)) {
      return 5;
    }
    return 0;
  }

  /** {@code null} when {@code program} names an executable file the way execvp(3) would find it. */
  static String checkProgram(String program, String path, File dir) {
    return find(program, path, dir) instanceof String why ? why : null;
  }

  /** The file {@link #checkProgram} found for {@code program} (call it only when that found one). */
  static String locate(String program, String path, File dir) {
    return find(program, path, dir) instanceof Path p ? p.toString() : program;
  }

  /** The program's file, as execvp(3) would find it, or (a String) why there is none. */
  private static Object find(String program, String path, File dir) {
    if (program.indexOf('/') >= 0) {
      Path p = Path.of(program);
      if (!p.isAbsolute() && dir != null) {
        p = dir.toPath().resolve(p);
      }
      if (!Files.exists(p)) {
        return "no such file";
      }
      if (Files.isDirectory(p)) {
        return "is a directory";
      }
      if (!Files.isExecutable(p)) {
        return "not executable (permission denied)";
      }
      return p;
    }
    String search = path == null ? DEFAULT_PATH : path;
    for (String d : search.split(":", -1)) {
      // why: an empty PATH entry means the current directory, which for the child is its cwd
      Path base = d.isEmpty() ? (dir != null ? dir.toPath() : Path.of("")) : Path.of(d);
      if (!base.isAbsolute() && dir != null && !d.isEmpty()) {
        base = dir.toPath().resolve(base);
      }
      Path p = base.resolve(program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p.isAbsolute() || dir == null ? p : dir.toPath().resolve(p);
      }
    }
    return "not found in PATH (" + search + ")";
  }
}
