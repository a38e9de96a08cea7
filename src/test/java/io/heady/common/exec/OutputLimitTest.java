package io.heady.common.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** limits.output_mb: past it the task is stopped and fails output_limit; its log stays capped. */
class OutputLimitTest {
  @TempDir
  Path tmp;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);

  @AfterEach
  void stop() {
    threads.shutdownNow();
    timers.shutdownNow();
  }

  private ProcessOutcome run(String command, long outputMb, Path log) throws Exception {
    ProcessSpec s = new ProcessSpec("out-" + System.nanoTime(), command, null, null, null, 60_000,
        Duration.ofSeconds(1), 4096, 10 << 20, log, null, null, new Limits(0, 0, 0, outputMb), null, false);
    return new ProcessRunner(threads, timers).start(s).outcome().get(60, TimeUnit.SECONDS);
  }

  @Test
  void aTaskThatWritesPastItsOutputLimitIsStopped() throws Exception {
    Path log = tmp.resolve("t.log");
    ProcessOutcome o = run("yes heady", 1, log);
    assertEquals(ProcessOutcome.FAILED, o.status());
    assertEquals(Completion.OUTPUT_LIMIT, o.reason());
    assertTrue(o.error().contains("limits.output_mb = 1"), o.error());
    long size = Files.size(log);
    assertTrue(size > (1 << 20) && size < (1 << 20) + 200, "capped at 1 MiB plus its marker line: " + size);
    assertTrue(Files.readString(log).endsWith(CappedLog.marker(1 << 20)));
  }

  @Test
  void underTheLimitNothingChanges() throws Exception {
    ProcessOutcome o = run("head -c 100000 /dev/zero | tr '\\0' x", 1, tmp.resolve("u.log"));
    assertEquals(ProcessOutcome.SUCCEEDED, o.status());
    assertEquals(null, o.reason());
    assertEquals(100000, Files.size(tmp.resolve("u.log")));
  }
}
