package io.heady.e2e;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code heady bench …} (or another heady command) run as a user runs it: a process, its JSON line on stdout. */
final class BenchRun {
  final int code;
  final String out;
  final String err;

  private BenchRun(int code, String out, String err) {
    this.code = code;
    this.out = out;
    this.err = err;
  }

  static BenchRun of(int limitSec, String... args) throws IOException, InterruptedException {
    Path dir = HeadyProcess.tempDir("bench-");
    List<String> heady = new ArrayList<>(List.of("bench", "--json", "--history",
        dir.resolve("history.jsonl").toString()));
    heady.addAll(List.of(args));
    return heady(dir, limitSec, heady);
  }

  /** Runs {@code java -jar heady.jar ARGS} with a 256 MB heap, stopping it (SIGTERM) past {@code limitSec}. */
  static BenchRun heady(int limitSec, String... args) throws IOException, InterruptedException {
    return heady(HeadyProcess.tempDir("heady-"), limitSec, List.of(args));
  }

  private static BenchRun heady(Path dir, int limitSec, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", HeadyProcess.jar().toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_"));
    Process p = pb.start();
    if (!p.waitFor(limitSec, TimeUnit.SECONDS)) {
      p.destroy(); // SIGTERM: the bench stops what it started
      p.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError("heady " + args.get(0) + " ran past " + limitSec + " s:\n"
          + Files.readString(dir.resolve("err")));
    }
    return new BenchRun(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
  }

  /** The last line of stdout as JSON. */
  JsonObject json() {
    String[] lines = out.strip().split("\n");
    try {
      return new JsonObject(lines[lines.length - 1]);
    } catch (RuntimeException e) {
      throw new AssertionError("no JSON line on stdout (exit " + code + "):\n" + out + "\nstderr:\n" + err);
    }
  }

  /** The PIDs the bench said it started ("manager pid N", "pids a,b", "redis-server pid N"). */
  List<Long> startedPids() {
    List<Long> pids = new ArrayList<>();
    Matcher m = Pattern.compile("(?:manager|redis-server) pid (\\d+)").matcher(err);
    while (m.find()) {
      pids.add(Long.parseLong(m.group(1)));
    }
    Matcher a = Pattern.compile("pids ([0-9,]+)\\)").matcher(err);
    while (a.find()) {
      for (String s : a.group(1).split(",")) {
        pids.add(Long.parseLong(s));
      }
    }
    return pids;
  }

  /** Started processes still alive (none should be, once the bench has exited). */
  List<Long> survivors() {
    return alive(startedPids());
  }

  /** Every PID the command printed ({@code pid N}, {@code pids a,b,c}) on stdout or stderr. */
  List<Long> printedPids() {
    List<Long> pids = new ArrayList<>();
    Matcher m = Pattern.compile("\\bpids? ([0-9][0-9,]*)").matcher(out + "\n" + err);
    while (m.find()) {
      for (String s : m.group(1).split(",")) {
        if (!s.isEmpty()) {
          pids.add(Long.parseLong(s));
        }
      }
    }
    return pids.stream().distinct().toList();
  }

  static List<Long> alive(List<Long> pids) {
    return pids.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).toList();
  }
}
