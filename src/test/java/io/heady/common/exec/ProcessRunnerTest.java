package io.heady.common.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs real processes. Every wait is on the outcome future with a deadline, or a polled condition with a
 * deadline; no test sleeps to synchronise. Pids are checked in /proc, where a zombie counts as gone: in a
 * container whose init does not reap orphans, a killed grandchild stays a zombie forever, but it is dead.
 *
 * <p>Runs on this machine's spawning path (natively on Linux); {@link ProcessRunnerJdkPathTest} runs every test
 * again through ProcessBuilder.
 */
class ProcessRunnerTest {
  private static ExecutorService threads;
  private static ScheduledThreadPoolExecutor timers;
  private ProcessRunner runner;

  @TempDir
  Path tmp;

  @BeforeAll
  static void setUp() {
    threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "exec-test");
      t.setDaemon(true);
      return t;
    });
    timers = new ScheduledThreadPoolExecutor(1);
    timers.setRemoveOnCancelPolicy(true);
  }

  @BeforeEach
  void makeRunner() {
    runner = newRunner(threads, Tools.system(), System.getenv());
  }

  /** The runner under test: this machine's default (the subclass forces ProcessBuilder). */
  ProcessRunner newRunner(ExecutorService pool, Tools tools, Map<String, String> inherited) {
    return new ProcessRunner(pool, timers, tools, inherited);
  }

  /** What {@link ProcessRunner#spawning()} must say for this class's runner on Linux. */
  String expectedSpawning() {
    return "native posix_spawn";
  }

  static ScheduledThreadPoolExecutor timers() {
    return timers;
  }

  @Test
  void onLinuxTheExpectedPathSpawns() {
    assumeLinux();
    assertEquals(expectedSpawning(), runner.spawning(), "native spawner: " + NativeSpawner.describe());
  }

  @AfterAll
  static void tearDown() {
    threads.shutdownNow();
    timers.shutdownNow();
  }

  // ---- running and exit codes ----

  @Test
  void commandRunsThroughShellAndExitCodeDecidesStatus() throws Exception {
    ProcessOutcome ok = await(runner.start(spec("echo hello; X=world; echo $X").build()), 5);
    assertEquals(ProcessOutcome.SUCCEEDED, ok.status());
    assertEquals(0, ok.exitCode());
    assertEquals("hello\nworld\n", ok.stdout());
    assertNull(ok.error());

    ProcessOutcome bad = await(runner.start(spec("echo oops >&2; exit 3").build()), 5);
    assertEquals(ProcessOutcome.FAILED, bad.status());
    assertEquals(3, bad.exitCode());
    assertEquals("oops\n", bad.stderr());
    assertNull(bad.error());
  }

  @Test
  void argvRunsWithoutAnyShell() throws Exception {
    ProcessOutcome o = await(runner.start(spec(null).argv("echo", "$(id)", "a  b", "*").build()), 5);
    assertEquals(ProcessOutcome.SUCCEEDED, o.status());
    assertEquals("$(id) a  b *\n", o.stdout());

    ProcessOutcome f = await(runner.start(spec(null).argv("false").build()), 5);
    assertEquals(ProcessOutcome.FAILED, f.status());
    assertEquals(1, f.exitCode());
  }

  @Test
  void durationIsMeasured() throws Exception {
    ProcessOutcome o = await(runner.start(spec("sleep 0.3").build()), 5);
    assertEquals(ProcessOutcome.SUCCEEDED, o.status());
    assertTrue(o.durationMs() >= 300 && o.durationMs() < 3000, "durationMs " + o.durationMs());
  }

  @Test
  void stdinIsEmptySoReadersDoNotHang() throws Exception {
    ProcessOutcome o = await(runner.start(spec("cat; echo eof").timeoutMs(5000).build()), 5);
    assertEquals(ProcessOutcome.SUCCEEDED, o.status());
    assertEquals("eof\n", o.stdout());
  }

  // ---- output ----

  @Test
  void stdoutAndStderrAreKeptApart() throws Exception {
    ProcessOutcome o = await(runner.start(spec("echo out1; echo err1 >&2; echo out2; echo err2 >&2").build()), 5);
    assertEquals("out1\nout2\n", o.stdout());
    assertEquals("err1\nerr2\n", o.stderr());
    assertFalse(o.truncated());
  }

  @Test
  void tailKeepsTheLastBytesCutOnACharacterBoundary() throws Exception {
    // five é are ten bytes (C3 A9 ×5); the last five bytes start inside a character
    ProcessOutcome o = await(runner.start(spec("printf 'ééééé'; printf 'abcdefgh' >&2").tailBytes(5).build()), 5);
    assertEquals("éé", o.stdout());
    assertEquals("defgh", o.stderr());
    assertTrue(o.truncated());

    ProcessOutcome whole = await(runner.start(spec("printf 'ééééé'").tailBytes(10).build()), 5);
    assertEquals("ééééé", whole.stdout());
    assertFalse(whole.truncated());
  }

  @Test
  void largeOutputNeitherBlocksNorGrowsTheRecord() throws Exception {
    RunningProcess rp = runner.start(spec("head -c 5000000 /dev/zero | tr '\\0' x").tailBytes(100).build());
    ProcessOutcome o = await(rp, 10);
    assertEquals(ProcessOutcome.SUCCEEDED, o.status());
    assertEquals("x".repeat(100), o.stdout());
    assertTrue(o.truncated());
    assertEquals(5_000_000, rp.outputBytes());
    assertEquals(5_000_000, o.outputBytes(), "the outcome counts every byte, not the tail");
  }

  @Test
  void progressIsVisible() throws Exception {
    Instant before = Instant.now();
    RunningProcess rp = runner.start(spec("printf abc; printf de >&2").build());
    await(rp, 5);
    assertEquals(5, rp.outputBytes());
    assertNotNull(rp.lastOutputAt());
    assertFalse(rp.lastOutputAt().isBefore(before));
    assertTrue(rp.pid() > 0);

    RunningProcess quiet = runner.start(spec("true").build());
    await(quiet, 5);
    assertEquals(0, quiet.outputBytes());
    assertNull(quiet.lastOutputAt());
  }

  @Test
  void logFileHoldsTheCombinedOutput() throws Exception {
    Path log = tmp.resolve("logs/sub/task.log"); // parents are created
    ProcessOutcome o = await(runner.start(spec("echo to-stdout; echo to-stderr >&2")
        .log(log, 0).build()), 5);
    assertEquals(ProcessOutcome.SUCCEEDED, o.status());
    String text = Files.readString(log);
    assertTrue(text.contains("to-stdout\n") && text.contains("to-stderr\n"), text);
    assertEquals("to-stdout\nto-stderr\n".length(), text.length());
  }

  @Test
  void logFileIsCappedWithAMarker() throws Exception {
    Path log = tmp.resolve("capped.log");
    Files.writeString(log, "an older attempt's log that must be replaced\n");
    RunningProcess rp = runner.start(spec("head -c 5000 /dev/zero | tr '\\0' x").log(log, 1000).build());
    ProcessOutcome o = await(rp, 5);
    assertEquals(ProcessOutcome.SUCCEEDED, o.status());
    String text = Files.readString(log);
    assertEquals("x".repeat(1000) + CappedLog.marker(1000), text);
    assertTrue(text.endsWith("log cut at 1000 bytes; later output was dropped]\n"));
    assertEquals(5000, rp.outputBytes()); // the task itself was not cut short
  }

  // ---- killing the tree ----

  @Test
  void timeoutKillsTheTaskWithinThreeSeconds() throws Exception {
    assumeLinux();
    long t0 = System.nanoTime();
    RunningProcess rp = runner.start(spec("sleep 30").timeoutMs(1000).grace(Duration.ofSeconds(1)).build());
    Set<Long> tree = treeOnceStarted(rp, 1);
    try {
      ProcessOutcome o = await(rp, 6);
      long tookMs = msSince(t0);
      assertEquals(ProcessOutcome.TIMED_OUT, o.status());
      assertEquals(-1, o.exitCode());
      assertTrue(o.durationMs() >= 1000 && tookMs < 3000, "took " + tookMs + " ms");
      assertAllGone(tree);
      System.out.printf("[exec] sleep 30 with timeout 1000 ms: outcome after %d ms, %d pids reaped%n",
          tookMs, tree.size());
    } finally {
      forceKill(tree);
    }
  }

  @Test
  void timeoutKillsBackgroundChildrenAndGrandchildren() throws Exception {
    assumeLinux();
    long t0 = System.nanoTime();
    RunningProcess rp = runner.start(spec("sleep 300 & sh -c 'sleep 301 & sleep 302'")
        .timeoutMs(1000).grace(Duration.ofSeconds(1)).build());
    // sh, sleep 300, the inner sh, sleep 301, sleep 302
    Set<Long> tree = treeOnceStarted(rp, 4);
    try {
      ProcessOutcome o = await(rp, 6);
      long tookMs = msSince(t0);
      assertEquals(ProcessOutcome.TIMED_OUT, o.status());
      assertTrue(tookMs < 3000, "took " + tookMs + " ms");
      assertAllGone(tree);
      System.out.printf("[exec] tree of %d with timeout 1000 ms: outcome after %d ms%n", tree.size(), tookMs);
    } finally {
      forceKill(tree);
    }
  }

  @Test
  void aTaskThatIgnoresSigtermGetsSigkillAfterTheGrace() throws Exception {
    assumeLinux();
    long t0 = System.nanoTime();
    // an ignored signal stays ignored across exec, so the sleep ignores TERM as well
    RunningProcess rp = runner.start(spec("trap '' TERM; sleep 30 & sleep 31")
        .timeoutMs(500).grace(Duration.ofMillis(700)).build());
    Set<Long> tree = treeOnceStarted(rp, 2);
    try {
      ProcessOutcome o = await(rp, 6);
      long tookMs = msSince(t0);
      assertEquals(ProcessOutcome.TIMED_OUT, o.status());
      assertTrue(o.durationMs() >= 1150, "SIGKILL came before the grace: " + o.durationMs() + " ms");
      assertTrue(tookMs < 3000, "took " + tookMs + " ms");
      assertAllGone(tree);
      System.out.printf("[exec] TERM-ignoring task (timeout 500 ms, grace 700 ms) killed after %d ms%n", tookMs);
    } finally {
      forceKill(tree);
    }
  }

  @Test
  void cancelKillsTheTreeQuickly() throws Exception {
    assumeLinux();
    RunningProcess rp = runner.start(spec("sleep 300 & sleep 300").grace(Duration.ofSeconds(1)).build());
    Set<Long> tree = treeOnceStarted(rp, 2);
    try {
      long t0 = System.nanoTime();
      rp.cancel();
      ProcessOutcome o = await(rp, 2);
      long tookMs = msSince(t0);
      assertEquals(ProcessOutcome.CANCELLED, o.status());
      assertEquals(-1, o.exitCode());
      assertAllGone(tree);
      rp.cancel(); // a second cancel is harmless
      System.out.printf("[exec] cancel: outcome %d ms after cancel()%n", tookMs);
    } finally {
      forceKill(tree);
    }
  }

  @Test
  void backgroundLeftoversDieWhenTheTaskExits() throws Exception {
    assumeLinux();
    // the leftover keeps stdout open; a normal exit of the shell must not leave it running
    ProcessOutcome o = await(runner.start(spec("sleep 300 & echo $!").build()), 5);
    long leftover = Long.parseLong(o.stdout().trim());
    try {
      assertEquals(ProcessOutcome.SUCCEEDED, o.status());
      assertTrue(o.durationMs() < 3000, "durationMs " + o.durationMs());
      assertFalse(running(leftover), "leftover sleep " + leftover + " still runs");
    } finally {
      forceKill(Set.of(leftover));
    }

    // a leftover that does not hold the pipe is killed too, before the outcome completes
    ProcessOutcome quiet = await(runner.start(spec("sleep 300 >/dev/null 2>&1 & echo $!").build()), 5);
    long silent = Long.parseLong(quiet.stdout().trim());
    try {
      assertEquals(ProcessOutcome.SUCCEEDED, quiet.status());
      assertFalse(running(silent), "leftover sleep " + silent + " still runs");
    } finally {
      forceKill(Set.of(silent));
    }
  }

  @Test
  void aProcessThatEscapesTheGroupDoesNotHoldTheOutcome() throws Exception {
    assumeLinux();
    assumeTrue(Tools.system().setsid() != null, "needs setsid");
    // the child makes its own session and keeps our stdout open after the shell has exited
    long t0 = System.nanoTime();
    ProcessOutcome o = await(runner.start(spec(Tools.system().setsid() + " sleep 30 & echo $!").build()),
        RunningProcess.DRAIN_MS / 1000 + 5);
    long tookMs = msSince(t0);
    long escaped = Long.parseLong(o.stdout().trim());
    try {
      assertEquals(ProcessOutcome.SUCCEEDED, o.status());
      assertTrue(tookMs < RunningProcess.DRAIN_MS + 2000, "took " + tookMs + " ms");
      System.out.printf("[exec] escaped process held the pipe; outcome after %d ms anyway%n", tookMs);
    } finally {
      forceKill(Set.of(escaped));
    }
  }

  @Test
  void taskLeadsItsOwnSessionAndProcessGroup() throws Exception {
    assumeLinux();
    assumeTrue(Tools.system().groups(), "needs setsid");
    RunningProcess rp = runner.start(spec(null).argv("cat", "/proc/self/stat").build());
    ProcessOutcome o = await(rp, 5);
    ProcessTree.Stat s = parseStat(o.stdout());
    long pid = Long.parseLong(o.stdout().substring(0, o.stdout().indexOf(' ')));
    assertEquals(rp.pid(), pid);
    assertEquals(pid, s.pgrp(), "pid is the process-group id");
    assertEquals(pid, s.session(), "pid is the session id");
  }

  @Test
  void withoutSetsidDescendantsAreStillKilled() throws Exception {
    assumeLinux();
    ProcessRunner portable = new ProcessRunner(threads, timers, Tools.NONE, System.getenv());
    long t0 = System.nanoTime();
    RunningProcess rp = portable.start(spec("sleep 300 & sleep 30").timeoutMs(800)
        .grace(Duration.ofSeconds(1)).build());
    Set<Long> tree = treeOnceStarted(rp, 2);
    try {
      ProcessOutcome o = await(rp, 6);
      assertEquals(ProcessOutcome.TIMED_OUT, o.status());
      assertTrue(msSince(t0) < 3000);
      assertAllGone(tree);
    } finally {
      forceKill(tree);
    }
  }

  @Test
  void noDescriptorOfTheRunnerReachesTheTask() throws Exception {
    assumeLinux();
    // the shell lists its own descriptors (ls's own directory handle would be a 3 of its own)
    ProcessOutcome o = await(runner.start(spec(null).argv("/bin/sh", "-c", "ls /proc/$$/fd").build()), 5);
    assertEquals(ProcessOutcome.SUCCEEDED, o.status(), o.stderr());
    assertEquals(List.of("0", "1", "2"), o.stdout().lines().collect(Collectors.toList()));
    // stdin is /dev/null
    ProcessOutcome in = await(runner.start(spec(null).argv("/bin/sh", "-c", "readlink /proc/$$/fd/0").build()), 5);
    assertEquals("/dev/null\n", in.stdout());
  }

  @Test
  void aBackgroundSleepNeverOutlivesItsTask() throws Exception {
    assumeLinux();
    ProcessOutcome o = await(runner.start(spec(null).argv("/bin/sh", "-c", "sleep 31 & echo $!").build()), 5);
    long leftover = Long.parseLong(o.stdout().trim());
    try {
      assertEquals(ProcessOutcome.SUCCEEDED, o.status());
      // the outcome completes only after the kill: nothing of the task is left the moment it does
      assertFalse(running(leftover), "sleep 31 (" + leftover + ") outlived its task");
    } finally {
      forceKill(Set.of(leftover));
    }
  }

  // ---- environment, cwd, programs ----

  @Test
  void headyVariablesNeverReachTheTask() throws Exception {
    Map<String, String> inherited = new HashMap<>(System.getenv());
    inherited.put("HEADY_JOIN_TOKEN", "s3cr3t-join");
    inherited.put("HEADY_ADMIN_TOKEN", "s3cr3t-admin");
    inherited.put("heady_lowercase", "s3cr3t-lower");
    inherited.put("KEEP_ME", "kept");
    inherited.put("OVERRIDE_ME", "old");
    ProcessRunner r = newRunner(threads, Tools.system(), inherited);
    ProcessOutcome o = await(r.start(spec(null).argv("env")
        .env(Map.of("ADDED", "yes", "OVERRIDE_ME", "new")).tailBytes(1 << 20).build()), 5);
    assertEquals(ProcessOutcome.SUCCEEDED, o.status());
    List<String> lines = o.stdout().lines().collect(Collectors.toList());
    assertTrue(lines.contains("KEEP_ME=kept"), o.stdout());
    assertTrue(lines.contains("ADDED=yes"), o.stdout());
    assertTrue(lines.contains("OVERRIDE_ME=new"), o.stdout());
    assertFalse(o.stdout().contains("s3cr3t"), o.stdout());
    assertTrue(lines.stream().noneMatch(l -> l.toUpperCase().startsWith("HEADY_")), o.stdout());
  }

  @Test
  void theRealRunnerPassesTheInheritedEnvironment() throws Exception {
    String path = System.getenv("PATH");
    assumeTrue(path != null);
    ProcessOutcome o = await(runner.start(spec("echo \"$PATH\"; echo \"$FOO\"")
        .env(Map.of("FOO", "bar")).build()), 5);
    assertEquals(path + "\nbar\n", o.stdout());
  }

  @Test
  void cwdIsUsedAndAMissingOneIsReported() throws Exception {
    ProcessOutcome here = await(runner.start(spec("pwd").cwd(tmp.toString()).build()), 5);
    assertEquals(tmp.toRealPath() + "\n", here.stdout());

    RunningProcess rp = runner.start(spec("echo never").cwd("/no/such/heady-dir").build());
    ProcessOutcome missing = await(rp, 5);
    assertEquals(ProcessOutcome.FAILED, missing.status());
    assertEquals(-1, missing.exitCode());
    assertEquals("cwd does not exist: /no/such/heady-dir", missing.error());
    assertEquals(-1, rp.pid());

    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    ProcessOutcome notDir = await(runner.start(spec("true").cwd(file.toString()).build()), 5);
    assertEquals("cwd is not a directory: " + file, notDir.error());
  }

  @Test
  void aProgramThatCannotStartIsAFailedOutcomeNotAnException() throws Exception {
    ProcessOutcome abs = await(runner.start(spec(null).argv("/no/such").build()), 5);
    assertEquals(ProcessOutcome.FAILED, abs.status());
    assertEquals(-1, abs.exitCode());
    assertEquals("cannot run program \"/no/such\": no such file", abs.error());

    ProcessOutcome onPath = await(runner.start(spec(null).argv("heady-no-such-program").build()), 5);
    assertEquals(ProcessOutcome.FAILED, onPath.status());
    assertTrue(onPath.error().startsWith("cannot run program \"heady-no-such-program\": not found in PATH"),
        onPath.error());

    Path notExec = Files.writeString(tmp.resolve("script.sh"), "echo hi\n");
    ProcessOutcome perm = await(runner.start(spec(null).argv(notExec.toString()).build()), 5);
    assertEquals("cannot run program \"" + notExec + "\": not executable (permission denied)", perm.error());

    ProcessOutcome nothing = await(runner.start(spec(null).build()), 5);
    assertEquals(ProcessOutcome.FAILED, nothing.status());
    assertTrue(nothing.error().startsWith("nothing to run"), nothing.error());
  }

  @Test
  void aShutDownRunnerReportsInsteadOfThrowing() throws Exception {
    ExecutorService dead = Executors.newSingleThreadExecutor();
    dead.shutdown();
    ProcessOutcome o = await(newRunner(dead, Tools.system(), System.getenv()).start(spec("true").build()), 5);
    assertEquals(ProcessOutcome.FAILED, o.status());
    assertTrue(o.error().contains("shut down"), o.error());
  }

  @Test
  void cancelBeforeTheSpawnMeansItNeverRuns() throws Exception {
    ExecutorService one = Executors.newSingleThreadExecutor();
    CountDownLatch hold = new CountDownLatch(1);
    try {
      one.execute(() -> {
        try {
          hold.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Path marker = tmp.resolve("ran");
      RunningProcess rp = newRunner(one, Tools.system(), System.getenv()).start(spec("touch " + marker).build());
      rp.cancel();
      ProcessOutcome o = await(rp, 2); // completes although the spawn job has not even begun
      assertEquals(ProcessOutcome.CANCELLED, o.status());
      assertEquals(-1, o.exitCode());
      hold.countDown();
      one.submit(() -> { }).get(5, TimeUnit.SECONDS); // the queued spawn job has run by now
      assertEquals(-1, rp.pid());
      assertFalse(Files.exists(marker));
    } finally {
      hold.countDown();
      one.shutdownNow();
    }
  }

  @Test
  void speedLowersThePriorityWithNice() throws Exception {
    assumeLinux();
    assumeTrue(Tools.system().nice() != null || runner.spawning().startsWith("native"), "needs nice");
    int base = niceOf(Files.readString(Path.of("/proc/self/stat")));
    assertEquals(Math.min(19, base + 10), niceUnder("OFF"));
    assertEquals(Math.min(19, base + 5), niceUnder("ON"));
    assertEquals(base, niceUnder("MAX"));
    assertEquals(base, niceUnder(null));
  }

  private int niceUnder(String speed) throws Exception {
    ProcessOutcome o = await(runner.start(spec(null).argv("cat", "/proc/self/stat").speed(speed).build()), 5);
    assertEquals(ProcessOutcome.SUCCEEDED, o.status());
    return niceOf(o.stdout());
  }

  // ---- helpers ----

  private static void assumeLinux() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc");
  }

  private static ProcessOutcome await(RunningProcess rp, long seconds) throws Exception {
    return rp.outcome().get(seconds, TimeUnit.SECONDS);
  }

  private static long msSince(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  /** Polls a condition until a deadline (the only waiting here that is not on a future). */
  private static void eventually(BooleanSupplier condition, Duration within, String what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("not within " + within + ": " + what);
      }
      try {
        Thread.sleep(5); // the poll interval; the condition, not the pause, decides when to go on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for " + what);
      }
    }
  }

  /** The task's pid and its descendants, once it has at least {@code descendants} of them. */
  private static Set<Long> treeOnceStarted(RunningProcess rp, int descendants) {
    Set<Long> tree = new TreeSet<>();
    eventually(() -> {
      long pid = rp.pid();
      if (pid <= 0) {
        return false;
      }
      tree.clear();
      tree.add(pid);
      ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> tree.add(d.pid())));
      return tree.size() > descendants;
    }, Duration.ofSeconds(5), "the task to start " + descendants + " descendants");
    return tree;
  }

  private static void assertAllGone(Set<Long> pids) {
    for (long pid : pids) {
      assertFalse(running(pid), "pid " + pid + " still runs");
    }
  }

  /** Running: present in /proc and not a zombie. */
  private static boolean running(long pid) {
    ProcessTree.Stat s = ProcessTree.stat(pid);
    return s != null && !s.dead();
  }

  // why: a failing test must not leave 300-second sleeps behind; by pid only, and only pids this test saw
  private static void forceKill(Set<Long> pids) {
    for (long pid : pids) {
      if (running(pid)) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private static ProcessTree.Stat parseStat(String stat) {
    String rest = stat.substring(stat.lastIndexOf(')') + 2).trim();
    String[] f = rest.split(" ");
    return new ProcessTree.Stat(f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]),
        Long.parseLong(f[3]));
  }

  /** Field 19 of /proc/PID/stat is the nice value; after the ')' it is the 17th. */
  private static int niceOf(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Integer.parseInt(f[16]);
  }

  private static SpecBuilder spec(String command) {
    return new SpecBuilder(command);
  }

  /** Test-only builder; defaults: no timeout, 1 s grace, 64 KiB tails, no log. */
  private static final class SpecBuilder {
    private final String command;
    private List<String> argv = List.of();
    private Map<String, String> env = Map.of();
    private String cwd;
    private long timeoutMs;
    private Duration grace = Duration.ofSeconds(1);
    private int tailBytes = 64 * 1024;
    private long logMaxBytes;
    private Path logFile;
    private String speed;

    SpecBuilder(String command) {
      this.command = command;
    }

    SpecBuilder argv(String... a) {
      argv = List.of(a);
      return this;
    }

    SpecBuilder env(Map<String, String> e) {
      env = e;
      return this;
    }

    SpecBuilder cwd(String c) {
      cwd = c;
      return this;
    }

    SpecBuilder timeoutMs(long t) {
      timeoutMs = t;
      return this;
    }

    SpecBuilder grace(Duration g) {
      grace = g;
      return this;
    }

    SpecBuilder tailBytes(int t) {
      tailBytes = t;
      return this;
    }

    SpecBuilder log(Path file, long max) {
      logFile = file;
      logMaxBytes = max;
      return this;
    }

    SpecBuilder speed(String s) {
      speed = s;
      return this;
    }

    ProcessSpec build() {
      return new ProcessSpec("t-" + System.nanoTime(), command, argv, env, cwd, timeoutMs, grace, tailBytes,
          logMaxBytes, logFile, speed);
    }
  }
}
