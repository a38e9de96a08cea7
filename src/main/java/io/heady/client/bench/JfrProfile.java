package io.heady.client.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sampling profile of a process this bench started, by Java Flight Recorder ({@code jcmd JFR.start} /
 * {@code JFR.stop}, then {@code jfr print}): which methods were on CPU (the top frame of each execution
 * sample) and which heady methods led there (the first {@code io.heady} frame of each sample).
 */
public final class JfrProfile {
  private final long pid;
  private final Path file;
  private boolean started;

  public JfrProfile(long pid, Path file) {
    this.pid = pid;
    this.file = file.toAbsolutePath();
  }

  public void start() {
    String out = ProcInfo.run(List.of(tool("jcmd"), Long.toString(pid), "JFR.start", "name=heady-bench",
        "settings=profile", "filename=" + file), 60);
    started = out != null;
  }

  /** Stops the recording and summarises it; null when there is none. */
  public String stopAndSummarise(int top) {
    if (!started) {
      return null;
    }
    ProcInfo.run(List.of(tool("jcmd"), Long.toString(pid), "JFR.stop", "name=heady-bench"), 60);
    if (!Files.exists(file)) {
      return null;
    }
    String text = ProcInfo.run(List.of(tool("jfr"), "print", "--events", "jdk.ExecutionSample", "--stack-depth",
        "40", file.toString()), 300);
    return text == null ? null : summarise(text, top);
  }

  /** The hot methods of {@code jfr print --events jdk.ExecutionSample} output. */
  static String summarise(String text, int top) {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> heady = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int samples = 0;
    List<String> frames = new ArrayList<>();
    String thread = null;
    boolean inStack = false;
    for (String raw : text.split("\n")) {
      String l = raw.strip();
      if (l.startsWith("sampledThread = ")) {
        int q = l.indexOf('"');
        int q2 = l.indexOf('"', q + 1);
        thread = q >= 0 && q2 > q ? l.substring(q + 1, q2).replaceAll("-?\\d+$", "") : "?";
      } else if (l.startsWith("stackTrace = [")) {
        inStack = true;
        frames.clear();
      } else if (inStack && l.equals("]")) {
        inStack = false;
        if (!frames.isEmpty()) {
          samples++;
          self.merge(frames.get(0), 1, Integer::sum);
          for (String f : frames) {
            if (f.startsWith("io.heady.")) {
              heady.merge(f, 1, Integer::sum);
              break;
            }
          }
          threads.merge(thread == null ? "?" : thread, 1, Integer::sum);
        }
      } else if (inStack && !l.isEmpty() && !l.equals("...")) {
        int line = l.indexOf(" line:");
        frames.add(line > 0 ? l.substring(0, line) : l);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(samples).append(" execution samples\n");
    sb.append("on CPU (top frame):\n").append(top(self, samples, top));
    sb.append("first heady frame:\n").append(top(heady, samples, top));
    sb.append("threads:\n").append(top(threads, samples, 8));
    return sb.toString();
  }

  private static String top(Map<String, Integer> m, int total, int n) {
    StringBuilder sb = new StringBuilder();
    LinkedHashMap<String, Integer> sorted = new LinkedHashMap<>();
    m.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    sorted.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * v / Math.max(1, total),
        k)));
    return sb.toString();
  }

  private static String tool(String name) {
    Path p = Path.of(System.getProperty("java.home"), "bin", name);
    return Files.isExecutable(p) ? p.toString() : name;
  }
}
