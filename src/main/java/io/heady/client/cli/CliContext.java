package io.heady.client.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What a CLI run sees of the world: its output streams, environment, home folder, the machine config file,
 * whether stderr is a terminal, and the clock. Tests build one; {@link #system()} is the real one.
 *
 * @param machineConfig the machine-wide config file ({@code /etc/heady/cli.json})
 * @param stderrTty show live progress on stderr
 * @param in standard input ({@code heady secret set} reads the value there, never from the command line)
 */
public record CliContext(PrintWriter out, PrintWriter err, Map<String, String> env, Path home, Path machineConfig,
    boolean stderrTty, Clock clock, java.io.InputStream in) {

  /** With an empty standard input. */
  public CliContext(PrintWriter out, PrintWriter err, Map<String, String> env, Path home, Path machineConfig,
      boolean stderrTty, Clock clock) {
    this(out, err, env, home, machineConfig, stderrTty, clock, java.io.InputStream.nullInputStream());
  }

  /** The process's streams and environment. */
  public static CliContext system() {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    return new CliContext(out, err, System.getenv(), Path.of(System.getProperty("user.home", ".")),
        Path.of("/etc/heady/cli.json"), stderrIsTerminal(), Clock.systemUTC(), System.in);
  }

  /**
   * Whether stderr is a terminal. Java cannot ask isatty(2); the {@code bin/heady} wrapper tells us with
   * {@code -Dheady.stderr.tty}; without it, Linux's {@code /proc/self/fd/2} link answers; else
   * {@link System#console()} (stdin and stdout are terminals) is the best guess.
   */
  static boolean stderrIsTerminal() {
    String told = System.getProperty("heady.stderr.tty");
    if (told != null) {
      return Boolean.parseBoolean(told);
    }
    if (System.getenv("TERM") != null && "dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    try {
      Path fd2 = Path.of("/proc/self/fd/2");
      if (Files.exists(fd2, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        String target = Files.readSymbolicLink(fd2).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      }
    } catch (Exception e) {
      // not Linux, or no permission: fall through
    }
    return System.console() != null;
  }
}
