package io.heady.common.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.heady.e2e.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The /proc sampler against a fake /proc written into a temp dir (exact sums), and against the real one with
 * real processes (CPU and I/O grow). Real processes are started under {@code setsid}, so each is its own
 * process group, and are killed by pid at the end; every wait has a deadline.
 */
class ProcessSamplerTest {
  @TempDir
  Path tmp;

  // ---- a fake /proc ----

  /** Writes {@code proc/PID/stat} with the given state, group and times (in ticks). */
  private static void stat(Path proc, long pid, String comm, char state, long pgrp, long utime, long stime,
      long cutime, long cstime) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(dir.resolve("stat"), pid + " (" + comm + ") " + state + " 1 " + pgrp + " " + pgrp
        + " 0 -1 4194560 120 0 0 0 " + utime + " " + stime + " " + cutime + " " + cstime
        + " 20 0 1 0 4242 2990080 444 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
  }

  private static void io(Path proc, long pid, long rchar, long wchar) throws IOException {
    Files.writeString(proc.resolve(Long.toString(pid)).resolve("io"), "rchar: " + rchar + "\nwchar: " + wchar
        + "\nsyscr: 3\nsyscw: 2\nread_bytes: 0\nwrite_bytes: 4096\ncancelled_write_bytes: 0\n");
  }

  private Path fakeProc() throws IOException {
    Path proc = tmp.resolve("proc");
    // group 100: the leader (its reaped children used 25 ticks), a member whose name holds ") ", a zombie
    stat(proc, 100, "sh", 'S', 100, 10, 5, 20, 5);
    io(proc, 100, 1000, 500);
    stat(proc, 101, "a) b (c", 'R', 100, 30, 0, 0, 0);
    io(proc, 101, 200, 300);
    stat(proc, 102, "make", 'Z', 100, 7, 3, 0, 0); // no io file: it counts for CPU, not for I/O
    // another task's group and a process of nobody's task: not asked for, not counted
    stat(proc, 200, "ffmpeg", 'R', 200, 100_000, 5, 0, 0);
    io(proc, 200, 1 << 30, 1 << 30);
    stat(proc, 250, "java", 'S', 1, 999, 999, 999, 999);
    // group 300: its io is unreadable (here: a directory where the file should be)
    stat(proc, 300, "sleep", 'S', 300, 1, 1, 0, 0);
    Files.createDirectories(proc.resolve("300").resolve("io"));
    // what else /proc holds: non-numeric entries, a pid whose stat is garbage, a pid already gone
    Files.createDirectories(proc.resolve("self"));
    Files.createDirectories(proc.resolve("net"));
    Files.writeString(proc.resolve("uptime"), "1.0 1.0\n");
    Files.createDirectories(proc.resolve("400"));
    Files.writeString(proc.resolve("400").resolve("stat"), "400 (broken\n");
    Files.createDirectories(proc.resolve("401"));
    return proc;
  }

  @Test
  void sumsEachAskedGroupOverItsMembersInOneWalk() throws Exception {
    ProcessSampler s = new ProcessSampler(fakeProc(), 100);
    Map<Long, ProcessSampler.Usage> u = s.sample(List.of(100L, 300L, 999L));
    assertEquals(3, u.size(), u.toString());
    // group 100: (10+5+20+5) + 30 + (7+3) = 80 ticks at 100 per second; io (1000+500) + (200+300); of the
    // CPU time, user mode (utime + cutime): (10+20) + 30 + 7 = 67 ticks
    assertEquals(new ProcessSampler.Usage(800, 2000, 670), u.get(100L));
    // group 300: CPU known, io unreadable for every member
    assertEquals(new ProcessSampler.Usage(20, -1, 10), u.get(300L));
    // a group with no process at all (it just ended): the node cannot tell
    assertEquals(ProcessSampler.Usage.UNKNOWN, u.get(999L));
  }

  @Test
  void ticksAreConvertedWithTheClockRate() throws Exception {
    ProcessSampler s = new ProcessSampler(fakeProc(), 250);
    // 80 ticks at 250 per second = 320 ms
    assertEquals(320, s.sample(List.of(100L)).get(100L).cpuMs());
  }

  @Test
  void withoutProcEverythingIsUnknownAndNothingFails() {
    ProcessSampler s = new ProcessSampler(tmp.resolve("no-proc-here"), 100);
    Map<Long, ProcessSampler.Usage> u = s.sample(List.of(1L, 2L));
    assertEquals(Map.of(1L, ProcessSampler.Usage.UNKNOWN, 2L, ProcessSampler.Usage.UNKNOWN), u);
    assertTrue(s.sample(List.of()).isEmpty());
  }

  @Test
  void statParsingSurvivesOddCommandNames() throws Exception {
    Path proc = tmp.resolve("proc");
    stat(proc, 7, ") ) S 1 2 3", 'S', 7, 1, 2, 3, 4);
    assertEquals(new ProcessSampler.Stat(7, 10, 4), ProcessSampler.stat(proc.resolve("7"))); // user: utime 1 + cutime 3
    assertNull(ProcessSampler.stat(proc.resolve("8")));
  }

  @Test
  void clockTicksComeFromGetconf() {
    long t = ProcessSampler.clockTicks();
    assertTrue(t > 0 && t <= 10_000, "CLK_TCK " + t);
  }

  // ---- the real /proc ----

  private static Process startGroup(String script, String... args) throws IOException {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc");
    assumeTrue(Tools.system().setsid() != null, "needs setsid");
    // why: a child of the JVM is no group leader, so setsid execs in place: the pid is the new group's id
    List<String> cmd = new java.util.ArrayList<>(List.of(Tools.system().setsid().toString(), "--", "/bin/sh",
        "-c", script, "sh"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
  }

  private static void killByPid(Process p) throws InterruptedException {
    p.destroyForcibly();
    assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "process " + p.pid() + " did not die");
  }

  @Test
  void aBusySilentProcessShowsGrowingCpuTime() throws Exception {
    Process busy = startGroup("while :; do :; done");
    try {
      ProcessSampler s = ProcessSampler.system();
      long pid = busy.pid();
      long first = Poll.until("the busy group to be seen in /proc", Duration.ofSeconds(10), () -> {
        long c = s.sample(List.of(pid)).get(pid).cpuMs();
        return c >= 0 ? c : null;
      });
      // at least 200 ms of CPU more than the first sample: it is working, though it writes nothing
      long later = Poll.until("CPU time to grow by 200 ms", Duration.ofSeconds(30), () -> {
        long c = s.sample(List.of(pid)).get(pid).cpuMs();
        return c >= first + 200 ? c : null;
      });
      assertTrue(later >= first + 200);
    } finally {
      killByPid(busy);
    }
  }

  @Test
  void aProcessThatWritesAFileShowsItsBytes() throws Exception {
    Path out = tmp.resolve("written.bin");
    // head writes 1,000,000 bytes; the shell reaps it (its counts join the shell's) then waits, idle
    Process writer = startGroup("head -c 1000000 /dev/zero > \"$1\"; exec sleep 60", out.toString());
    try {
      ProcessSampler s = ProcessSampler.system();
      long pid = writer.pid();
      long io = Poll.until("1,000,000 written bytes to be counted", Duration.ofSeconds(20), () -> {
        long b = s.sample(List.of(pid)).get(pid).ioBytes();
        return b >= 1_000_000 ? b : null;
      });
      assertEquals(1_000_000, Files.size(out));
      assertTrue(io >= 1_000_000, "io " + io);
    } finally {
      killByPid(writer);
    }
  }
}
