package io.heady.common.exec.contain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.heady.common.exec.ProcessOutcome;
import io.heady.common.exec.ProcessRunner;
import io.heady.common.exec.ProcessSpec;
import io.heady.common.exec.RunningProcess;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Limits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Containment with this machine's real control groups (v1 on the build machine, as root; v2 where the test's
 * group is delegated): the memory limit kills and is reported, the pids limit holds, escapes die. Skipped, saying
 * why, where the machine has no writable controllers.
 */
class RealCgroupTest {
  private static final String NODE = "unit-" + UUID.randomUUID().toString().substring(0, 8);
  private static ContainmentProbe.Detection detection;
  private static ExecutorService threads;
  private static ScheduledThreadPoolExecutor timers;
  private ProcessRunner runner;

  @BeforeAll
  static void detect() {
    detection = new ContainmentProbe(CgroupFs.system()).detect(NODE, null);
    String method = detection.confiner().method();
    System.out.println("RealCgroupTest: this machine gives " + method + (detection.tried().isEmpty() ? ""
        : " (not used: " + detection.tried() + ")"));
    assumeTrue(method.equals(Enforcement.CGROUP1) || method.equals(Enforcement.CGROUP2),
        "no writable cgroup v1 or v2 controllers here: " + detection.tried());
    threads = Executors.newCachedThreadPool();
    timers = new ScheduledThreadPoolExecutor(1);
  }

  @BeforeEach
  void makeRunner() {
    runner = newRunner(threads, timers, new Containment(detection.confiner(),
        TaskUser.self(System.getProperty("user.name")), null, null, Path.of(System.getProperty("java.io.tmpdir"))));
  }

  /** This machine's default spawning path (natively on Linux); {@link RealCgroupJdkPathTest} forces ProcessBuilder. */
  ProcessRunner newRunner(ExecutorService t, ScheduledThreadPoolExecutor s, Containment c) {
    return new ProcessRunner(t, s, c);
  }

  @Test
  void theTaskRunsInItsAttemptsGroupsFromItsFirstInstruction() throws Exception {
    // the task's first process reads its own groups: no wrapper ran before it, it was already inside
    RunningProcess rp = runner.start(new ProcessSpec("real-" + System.nanoTime(), null,
        List.of("cat", "/proc/self/cgroup"), null, null, 60_000, Duration.ofSeconds(1), 1 << 16, 0, null, null, null,
        new Limits(0, 0, 50, 0), null, false));
    ProcessOutcome o = run(rp);
    assertEquals(ProcessOutcome.SUCCEEDED, o.status(), o.toString());
    AttemptBox box = rp.box();
    CgroupMounts mounts = CgroupMounts.parse(Files.readString(Path.of("/proc/self/mountinfo")), o.stdout());
    int checked = 0;
    if (box.group() instanceof Cgroup1Group g) {
      for (var e : g.dirs().entrySet()) {
        CgroupMounts.Hierarchy h = mounts.v1().get(e.getKey());
        assertEquals(e.getValue().toString(), h.group(), "the task's " + e.getKey() + " group: " + o.stdout());
        checked++;
      }
    } else if (box.group() instanceof Cgroup2Group g) {
      assertEquals(g.dir().toString(), mounts.v2().group(), o.stdout());
      checked++;
    }
    assertTrue(checked > 0, "no group checked: " + o.stdout());
  }

  @Test
  void theSpawnerThreadsAreBackInTheirOwnGroupsAfterASpawn() throws Exception {
    for (String speed : new String[] {null, "ON", "OFF"}) {
      ProcessSpec s = new ProcessSpec("real-" + System.nanoTime(), "true", null, null, null, 60_000,
          Duration.ofSeconds(1), 4096, 0, null, speed, null, new Limits(64, 0.5, 50, 0), null, false);
      assertEquals(ProcessOutcome.SUCCEEDED, run(runner.start(s)).status());
    }
    String own = Files.readString(Path.of("/proc/thread-self/cgroup"));
    for (var e : io.heady.common.exec.SpawnPaths.spawnerThreadGroups().entrySet()) {
      assertEquals(own, e.getValue(), "spawner thread " + e.getKey() + " is out of the JVM's groups");
    }
  }

  @Test
  void aPidsLimitOfOneStillRunsTheTaskInsideItsGroup() throws Exception {
    // the spawner thread would count against a limit of 1, so such a task is placed by its wrapper instead
    ProcessOutcome o = run(runner.start(spec("echo inside", new Limits(0, 0, 1, 0))));
    assertEquals(ProcessOutcome.SUCCEEDED, o.status(), o.toString());
    assertEquals("inside\n", o.stdout());
    assertEquals(1, o.enforcement().limits().pids());
  }

  @AfterAll
  static void cleanUp() {
    if (threads != null) {
      threads.shutdownNow();
      timers.shutdownNow();
    }
    // why: a failed test may leave an attempt running; its group still finds it (kill by pid, never by name)
    CgroupFs fs = CgroupFs.system();
    List<Path> parents = new ArrayList<>();
    if (detection != null && detection.confiner() instanceof Cgroup1Confiner c) {
      parents.addAll(new java.util.LinkedHashSet<>(c.parents().values()));
    }
    for (Path parent : parents) {
      for (Path child : fs.children(parent)) {
        fs.pids(child.resolve("cgroup.procs")).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      }
    }
    for (Path parent : parents) {
      for (Path child : fs.children(parent)) {
        Cgroup1Group.removeWhenEmpty(fs, List.of(child), () -> fs.pids(child.resolve("cgroup.procs")).isEmpty());
      }
      fs.rmdir(parent);
    }
  }

  private static ProcessSpec spec(String command, Limits limits) {
    return new ProcessSpec("real-" + System.nanoTime(), command, null, null, null, 60_000, Duration.ofSeconds(1),
        4096, 0, null, null, null, limits, null, false);
  }

  private static ProcessOutcome run(RunningProcess p) throws Exception {
    return p.outcome().get(60, TimeUnit.SECONDS);
  }

  /** Live (not zombie) {@code sleep MARKER} processes, from /proc (not the shells whose script names it). */
  static List<Long> withMarker(String marker) {
    List<Long> out = new ArrayList<>();
    java.io.File[] procs = new java.io.File("/proc").listFiles((d, n) -> n.matches("[0-9]+"));
    for (java.io.File p : procs == null ? new java.io.File[0] : procs) {
      try {
        String cmd = new String(Files.readAllBytes(p.toPath().resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        String stat = Files.readString(p.toPath().resolve("stat"));
        if (cmd.trim().equals("sleep " + marker) && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z') {
          out.add(Long.parseLong(p.getName()));
        }
      } catch (Exception gone) {
        // ended while we looked
      }
    }
    return out;
  }

  /** A unique number of seconds for sleep: it shows in the process's command line. */
  private static String marker() {
    return "1" + (System.nanoTime() % 100) + "." + (System.nanoTime() % 1_000_000_007L);
  }

  @Test
  void overTheMemoryLimitTheTaskIsKilledAndReportedOutOfMemory() throws Exception {
    long t0 = System.nanoTime();
    ProcessOutcome o = run(runner.start(spec("dd if=/dev/zero of=/dev/null bs=256M count=1", new Limits(64, 0, 0, 0))));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    System.out.println("RealCgroupTest: 256 MB under a 64 MB limit ended " + o.status() + " " + o.reason() + " (exit "
        + o.exitCode() + ") after " + ms + " ms; peak " + o.usage().peakMemoryBytes() + " bytes");
    assertEquals(ProcessOutcome.FAILED, o.status());
    assertEquals(Completion.OUT_OF_MEMORY, o.reason(), o.toString());
    assertTrue(o.error().contains("limits.memory_mb = 64"), o.error());
    assertTrue(o.usage().peakMemoryBytes() > 0 && o.usage().peakMemoryBytes() <= (64L << 20) + (1 << 20),
        "peak within the limit: " + o.usage());
    assertEquals(detection.confiner().method(), o.enforcement().method());
    assertEquals(64, o.enforcement().limits().memoryMb());
    // the same allocation with room succeeds: the limit, not the command, failed it
    ProcessOutcome ok = run(runner.start(spec("dd if=/dev/zero of=/dev/null bs=256M count=1", new Limits(512, 0, 0, 0))));
    assertEquals(ProcessOutcome.SUCCEEDED, ok.status(), ok.toString());
  }

  @Test
  void thePidsLimitHoldsAndNothingIsLeftAfterwards() throws Exception {
    String m = marker();
    // the subshell dies of its failed fork; its sleeps live on until the task ends; the task itself goes on
    String cmd = "(i=0; while [ $i -lt 200 ]; do sleep " + m + " & i=$((i+1)); done) 2>/dev/null; sleep 2; echo alive";
    RunningProcess p = runner.start(spec(cmd, new Limits(0, 0, 32, 0)));
    int most = 0;
    while (!p.outcome().isDone()) {
      most = Math.max(most, withMarker(m).size());
      Thread.onSpinWait();
    }
    ProcessOutcome o = run(p);
    System.out.println("RealCgroupTest: 200 sleeps under pids=32: at most " + most + " ran; task " + o.status());
    assertTrue(most > 0 && most <= 32 - 2, "held at the limit (the two shells count too): " + most);
    assertEquals("alive\n", o.stdout(), "the task's own shell went on");
    assertEquals(List.of(), withMarker(m), "no sleep left");
  }

  @Test
  void aSetsidEscapeDiesWhenTheTaskEnds() throws Exception {
    String m = marker();
    ProcessOutcome o = run(runner.start(spec("setsid sh -c \"exec sleep " + m + "\" >/dev/null 2>&1 </dev/null & "
        + "echo started", Limits.NONE)));
    assertEquals(ProcessOutcome.SUCCEEDED, o.status());
    assertEquals(List.of(), withMarker(m), "the escaped sleep was killed with the task's group");
  }

  @Test
  void aSetsidEscapeDiesWhenTheTaskIsCancelled() throws Exception {
    String m = marker();
    RunningProcess p = runner.start(spec("setsid sh -c \"exec sleep " + m + "\" >/dev/null 2>&1 </dev/null & "
        + "exec sleep 60", Limits.NONE));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (withMarker(m).isEmpty() && System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    assertEquals(1, withMarker(m).size(), "the escape is running");
    p.cancel();
    ProcessOutcome o = run(p);
    assertEquals(ProcessOutcome.CANCELLED, o.status());
    assertEquals(List.of(), withMarker(m));
  }

  @Test
  void aBusyTaskRecordsItsCpuTimeAndPeakMemory() throws Exception {
    // why: bounded by its own CPU time (ulimit -t), not the clock, so a busy machine only makes it slower
    ProcessOutcome o = run(runner.start(spec("sh -c 'ulimit -t 2; while :; do :; done'; true", Limits.NONE)));
    System.out.println("RealCgroupTest: a loop of 2 CPU seconds used " + o.usage());
    assertEquals(ProcessOutcome.SUCCEEDED, o.status());
    assertTrue(o.usage().cpuUserSec() + o.usage().cpuSystemSec() >= 1.0, o.usage().toString());
    assertTrue(o.usage().peakMemoryBytes() > 0, o.usage().toString());
  }

  @Test
  void everyShortTaskKeepsItsOutputWhenItsGroupIsKilled() throws Exception {
    // why: the group kill after the leader's exit once closed the pipes through Process.destroyForcibly, so a
    // task that printed and exited at once could end succeeded with empty output (about 1 in 25 here)
    List<String> lost = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      ProcessOutcome o = run(runner.start(spec("echo line-" + i, Limits.NONE)));
      assertEquals(ProcessOutcome.SUCCEEDED, o.status(), o.toString());
      if (!o.stdout().equals("line-" + i + "\n")) {
        lost.add(i + ": '" + o.stdout() + "'");
      }
    }
    assertEquals(List.of(), lost, "tasks whose output was lost");
  }

  @Test
  void aDaemonAllowedByItsTypeOutlivesTheTaskInItsGroup() throws Exception {
    String m = marker();
    ProcessSpec s = new ProcessSpec("real-d", "setsid sh -c \"exec sleep " + m + "\" >/dev/null 2>&1 </dev/null &",
        null, null, null, 60_000, Duration.ofSeconds(1), 4096, 0, null, null, null, Limits.NONE, null, true);
    RunningProcess p = runner.start(s);
    ProcessOutcome o = run(p);
    assertEquals(ProcessOutcome.SUCCEEDED, o.status());
    // why: the leader may exit before its background child has exec'd into sleep; wait for it (with a deadline)
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<Long> left = withMarker(m);
    while (left.isEmpty() && System.nanoTime() < until) {
      Thread.onSpinWait();
      left = withMarker(m);
    }
    assertEquals(1, left.size(), "allow_daemon: it lives on");
    // it is still contained: its group is there and kills it as a whole
    Set<Long> members = p.box().group().members();
    assertTrue(members.containsAll(left), members + " " + left);
    GroupKill.system().kill(p.box().group(), Duration.ofSeconds(5));
    assertTrue(p.box().close());
    assertEquals(List.of(), withMarker(m));
  }
}
