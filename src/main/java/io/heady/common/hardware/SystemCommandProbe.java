package io.heady.common.hardware;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link CommandProbe} over real processes and a {@code PATH} string. */
final class SystemCommandProbe implements CommandProbe {
  /** why: a probe's answer is a few KB; a runaway command must not fill the heap. */
  static final int MAX_OUTPUT_BYTES = 1 << 20;
  /** How long to wait for the rest of the output once the process has exited. */
  private static final long DRAIN_MILLIS = 500;

  private final String path;
  private final List<String> extensions;

  /** Uses this JVM's {@code PATH} (and {@code PATHEXT} on Windows). */
  SystemCommandProbe() {
    this(System.getenv("PATH"), windowsExtensions());
  }

  /**
   * @param path a {@code PATH} value (directories separated by {@link File#pathSeparator})
   * @param extensions suffixes to try after the bare name ("" first), e.g. ".exe" on Windows
   */
  SystemCommandProbe(String path, List<String> extensions) {
    this.path = path == null ? "" : path;
    this.extensions = List.copyOf(extensions);
  }

  @Override
  public Optional<String> run(List<String> argv, Duration timeout) {
    if (argv.isEmpty()) {
      return Optional.empty();
    }
    ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD);
    // why: probes parse English output (nvidia-smi, docker); a German locale must not change it
    pb.environment().put("LC_ALL", "C");
    Process p;
    try {
      p = pb.start();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // not installed, not executable
    }
    try {
      p.getOutputStream().close();
    } catch (IOException ignored) {
      // nothing to tell it anyway
    }
    FutureTask<byte[]> reader = new FutureTask<>(() -> readCapped(p.getInputStream()));
    Thread t = new Thread(reader, "heady-cmd-" + argv.get(0));
    t.setDaemon(true);
    t.start();
    try {
      if (!p.waitFor(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
        kill(p);
        return Optional.empty();
      }
      if (p.exitValue() != 0) {
        return Optional.empty();
      }
      return Optional.of(new String(reader.get(DRAIN_MILLIS, TimeUnit.MILLISECONDS), StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      kill(p);
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException e) {
      kill(p); // why: a leftover child can hold stdout open after the parent exits
      return Optional.empty();
    } finally {
      try {
        p.getInputStream().close();
      } catch (IOException ignored) {
        // the reader thread ends either way
      }
    }
  }

  @Override
  public boolean onPath(String program) {
    if (program == null || program.isBlank()) {
      return false;
    }
    if (program.indexOf('/') >= 0 || program.indexOf(File.separatorChar) >= 0) {
      return executable(program);
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      for (String ext : extensions) {
        if (executable(dir + File.separator + program + ext)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean executable(String file) {
    try {
      Path p = Path.of(file);
      return Files.isRegularFile(p) && Files.isExecutable(p);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private static byte[] readCapped(InputStream in) {
    try (in) {
      byte[] bytes = in.readNBytes(MAX_OUTPUT_BYTES);
      in.transferTo(java.io.OutputStream.nullOutputStream()); // keep draining so the child never blocks on a full pipe
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> windowsExtensions() {
    List<String> exts = new ArrayList<>();
    exts.add("");
    if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
      String pathext = System.getenv("PATHEXT");
      for (String e : (pathext == null ? ".COM;.EXE;.BAT;.CMD" : pathext).split(";")) {
        if (!e.isBlank()) {
          exts.add(e.toLowerCase(Locale.ROOT));
        }
      }
    }
    return exts;
  }
}
