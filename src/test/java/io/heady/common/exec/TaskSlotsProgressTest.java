package io.heady.common.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.TaskProgress;
import io.heady.e2e.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's progress as the agent reports it in its heartbeat: real tasks through {@link TaskSlots} and
 * {@link ProcessRunner}, measured by {@link TaskSlots#progress()}. Tasks are stopped by cancelling them
 * (their process group is killed); every wait has a deadline.
 */
class TaskSlotsProgressTest {
  private static ExecutorService threads;
  private static ScheduledThreadPoolExecutor timers;

  @TempDir
  Path tmp;

  private final Map<String, CompletableFuture<Completion>> finished = new ConcurrentHashMap<>();

  @BeforeAll
  static void setUp() {
    threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "progress-test");
      t.setDaemon(true);
      return t;
    });
    timers = new ScheduledThreadPoolExecutor(1);
    timers.setRemoveOnCancelPolicy(true);
  }

  @AfterAll
  static void tearDown() {
    threads.shutdownNow();
    timers.shutdownNow();
  }

  private TaskSlots slots(ProcessRunner runner, ProcessSampler sampler) {
    return new TaskSlots("n1", 4, runner, new TaskSlots.Settings(4096, 1 << 20, Duration.ofSeconds(1),
        tmp.resolve("logs")), new TaskSlots.Reporter() {
          @Override
          public void started(Dispatch d) {}

          @Override
          public void finished(Completion c) {
            finished.computeIfAbsent(c.taskId(), k -> new CompletableFuture<>()).complete(c);
          }
        }, Clock.systemUTC(), sampler);
  }

  private static Dispatch dispatch(String id, String command, Map<String, String> env) {
    return new Dispatch(id, "lease-" + id, 1, "general", "P2", command, null, env, null, 0, false, null);
  }

  private Completion cancelAndWait(TaskSlots slots, String id) throws Exception {
    assertTrue(slots.cancel(id, null), "cancel " + id);
    return finished.computeIfAbsent(id, k -> new CompletableFuture<>()).get(20, TimeUnit.SECONDS);
  }

  private static TaskProgress progressOf(TaskSlots slots, String id) {
    return slots.progress().get(id);
  }

  @Test
  void aCompletionCountsEveryBytePrintedHoweverShortTheTails() throws Exception {
    ProcessRunner runner = new ProcessRunner(threads, timers, Tools.system(),
        Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));
    TaskSlots slots = slots(runner, null);
    // 10,000 bytes out (the tail keeps 4,096), 3 bytes err, and it ends well before any heartbeat
    assertEquals(TaskSlots.Admission.ACCEPTED, slots.accept(dispatch("loud-1",
        "head -c 10000 /dev/zero | tr '\\0' x; printf 'err' >&2", Map.of())));
    Completion c = finished.computeIfAbsent("loud-1", k -> new CompletableFuture<>()).get(20, TimeUnit.SECONDS);
    assertEquals("succeeded", c.status(), c.toString());
    assertTrue(c.outputTruncated());
    assertTrue(c.stdout().length() <= 4096, "the kept tail is cut: " + c.stdout().length());
    assertEquals(10_003, c.outputBytes());
    assertEquals(10_003, Completion.fromJson(c.toJson()).outputBytes(), "and says so on the wire");
  }

  @Test
  void aTaskReportsThroughItsProgressFileAndHeadysPathWins() throws Exception {
    Path elsewhere = tmp.resolve("elsewhere.progress");
    // the agent's own environment holds a HEADY_PROGRESS_FILE, and so does the task's submission: neither wins
    ProcessRunner runner = new ProcessRunner(threads, timers, Tools.system(),
        Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
            "HEADY_PROGRESS_FILE", elsewhere.toString()));
    TaskSlots slots = slots(runner, null);
    String script = "printf '%s' \"$HEADY_PROGRESS_FILE\" > \"$OUT/where\"; "
        + "[ -f \"$HEADY_PROGRESS_FILE\" ] && [ ! -s \"$HEADY_PROGRESS_FILE\" ] && echo yes > \"$OUT/ready\"; "
        + "echo 'step 1' >> \"$HEADY_PROGRESS_FILE\"; "
        + "echo '  step 2: half  ' >> \"$HEADY_PROGRESS_FILE\"; "
        + "exec sleep 60";
    assertEquals(TaskSlots.Admission.ACCEPTED, slots.accept(dispatch("quiet-1", script,
        Map.of("OUT", tmp.toString(), "HEADY_PROGRESS_FILE", elsewhere.toString()))));

    TaskProgress p = Poll.until("two reports", Duration.ofSeconds(20), () -> {
      TaskProgress t = progressOf(slots, "quiet-1");
      return t != null && t.reports() == 2 ? t : null;
    });
    assertEquals("step 2: half", p.note());
    assertEquals(0, p.outputBytes());

    Path file = tmp.resolve("logs").resolve("quiet-1.progress");
    assertEquals(file.toAbsolutePath().toString(), Files.readString(tmp.resolve("where")));
    assertEquals("yes\n", Files.readString(tmp.resolve("ready")), "the file exists, empty, when the task starts");
    assertFalse(Files.exists(elsewhere));
    if (Files.isDirectory(Path.of("/proc/self")) && Tools.system().groups()) {
      assertTrue(p.cpuMs() >= 0, "cpuMs " + p.cpuMs());
      assertTrue(p.ioBytes() > 0, "ioBytes " + p.ioBytes()); // the shell wrote to the progress file
    }

    Completion c = cancelAndWait(slots, "quiet-1");
    assertEquals("cancelled", c.status());
    assertFalse(Files.exists(file), "the progress file is removed when the attempt ends");
    assertTrue(Files.exists(tmp.resolve("logs").resolve("quiet-1.log")), "the log stays");
    assertFalse(slots.progress().containsKey("quiet-1"));
  }

  @Test
  void aBusySilentTaskShowsGrowingCpuTimeAndNoOutput() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")) && Tools.system().groups(), "needs /proc and setsid");
    TaskSlots slots = slots(new ProcessRunner(threads, timers), null);
    slots.accept(dispatch("busy-1", "while :; do :; done", Map.of()));
    try {
      long first = Poll.until("a first CPU figure", Duration.ofSeconds(20), () -> {
        TaskProgress t = progressOf(slots, "busy-1");
        return t != null && t.cpuMs() >= 0 ? t.cpuMs() : null;
      });
      TaskProgress later = Poll.until("CPU time to grow by 200 ms", Duration.ofSeconds(30), () -> {
        TaskProgress t = progressOf(slots, "busy-1");
        return t.cpuMs() >= first + 200 ? t : null;
      });
      assertEquals(0, later.outputBytes());
      assertEquals(0, later.reports());
    } finally {
      cancelAndWait(slots, "busy-1");
    }
  }

  /** Writes a fake {@code proc/PID/stat} (times in ticks) and {@code io}. */
  private static void fake(Path proc, long pid, long ticks, long io) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(dir.resolve("stat"), pid + " (sh) S 1 " + pid + " " + pid + " 0 -1 0 0 0 0 0 "
        + ticks + " 0 0 0 20 0 1 0 1 1 1\n");
    Files.writeString(dir.resolve("io"), "rchar: " + io + "\nwchar: 0\n");
  }

  @Test
  void figuresNeverGoDownWhileTheAttemptRuns() throws Exception {
    Path proc = tmp.resolve("proc");
    TaskSlots slots = slots(new ProcessRunner(threads, timers), new ProcessSampler(proc, 100));
    slots.accept(dispatch("mono-1", "exec sleep 60", Map.of()));
    try {
      long pid = Poll.until("the task's pid", Duration.ofSeconds(20), () -> {
        long p = slots.process("mono-1").pid();
        return p > 0 ? p : null;
      });
      TaskProgress before = progressOf(slots, "mono-1");
      assertEquals(-1, before.cpuMs(), "no stat for the group yet: cannot tell");
      assertEquals(-1, before.ioBytes());

      fake(proc, pid, 500, 7000);
      TaskProgress p = progressOf(slots, "mono-1");
      assertEquals(5000, p.cpuMs());
      assertEquals(7000, p.ioBytes());

      // a member reaped outside the group takes its share out of the sum: the figure holds
      fake(proc, pid, 100, 10);
      p = progressOf(slots, "mono-1");
      assertEquals(5000, p.cpuMs());
      assertEquals(7000, p.ioBytes());

      // the group is gone from /proc for a moment: the figure holds
      Files.delete(proc.resolve(Long.toString(pid)).resolve("stat"));
      assertEquals(5000, progressOf(slots, "mono-1").cpuMs());

      fake(proc, pid, 900, 8000);
      p = progressOf(slots, "mono-1");
      assertEquals(9000, p.cpuMs());
      assertEquals(8000, p.ioBytes());
    } finally {
      cancelAndWait(slots, "mono-1");
    }
  }

  @Test
  void withoutProcCpuAndIoAreUnknownAndReportsStillWork() throws Exception {
    TaskSlots slots = slots(new ProcessRunner(threads, timers), new ProcessSampler(tmp.resolve("none"), 100));
    slots.accept(dispatch("mac-1", "echo hi; echo 'working on it' >> \"$HEADY_PROGRESS_FILE\"; exec sleep 60",
        Map.of()));
    try {
      TaskProgress p = Poll.until("one report", Duration.ofSeconds(20), () -> {
        TaskProgress t = progressOf(slots, "mac-1");
        return t != null && t.reports() == 1 && t.outputBytes() == 3 ? t : null;
      });
      assertEquals(new TaskProgress(3, -1, -1, 1, "working on it"), p);
    } finally {
      cancelAndWait(slots, "mac-1");
    }
  }
}
