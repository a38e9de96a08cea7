package io.heady.common.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.identity.SecretSeal;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.Limits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
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
 * A node's side of secrets, with real processes: the sealed value opens with the node's key and reaches the task
 * as its variable; whatever the task prints of it (stdout, stderr, in pieces) is kept as {@code ***} in the result
 * and in the node's log file; a value sealed for another lease, or a node without a key, fails the attempt with
 * reason {@code secret_unavailable}, naming the variable and never the value.
 */
class TaskSlotsSecretsTest {
  private static final String VALUE = "hunter2-s3cret-value";
  private static ExecutorService threads;
  private static ScheduledThreadPoolExecutor timers;
  private final byte[] key = new byte[32];
  private final Map<String, CompletableFuture<Completion>> finished = new ConcurrentHashMap<>();

  @TempDir
  Path tmp;

  @BeforeAll
  static void setUp() {
    threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "secrets-test");
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

  private TaskSlots slots(SecretOpener opener) {
    new SecureRandom().nextBytes(key);
    return new TaskSlots("n1", 4, new ProcessRunner(threads, timers), new TaskSlots.Settings(4096, 1 << 20,
        Duration.ofSeconds(1), tmp.resolve("logs")), new TaskSlots.Reporter() {
          @Override
          public void started(Dispatch d) {}

          @Override
          public void finished(Completion c) {
            finished.computeIfAbsent(c.taskId(), k -> new CompletableFuture<>()).complete(c);
          }
        }, Clock.systemUTC()).secrets(opener);
  }

  private Dispatch dispatch(String id, String lease, String command, Map<String, String> sealed) {
    return new Dispatch(id, lease, 1, "shell", "P2", command, List.of(), Map.of("PLAIN", "shown"), null, 60_000,
        false, null, Limits.NONE, null, false, sealed);
  }

  private Completion await(String id) throws Exception {
    return finished.computeIfAbsent(id, k -> new CompletableFuture<>()).get(60, TimeUnit.SECONDS);
  }

  @Test
  void theTaskGetsTheValueAndItsOutputAndLogShowStars() throws Exception {
    TaskSlots slots = slots(SecretOpener.withKey(() -> key));
    String sealed = SecretSeal.seal(key, "t-sec", "lease-1", "API_KEY", VALUE.getBytes(StandardCharsets.UTF_8));
    // the value in pieces (two writes with a pause, so two reads), whole on stderr, its digest, the plain variable
    String cmd = "printf 'a=%s' \"$(printf '%s' \"$API_KEY\" | cut -c1-7)\"; sleep 0.3; "
        + "printf '%s\\n' \"$(printf '%s' \"$API_KEY\" | cut -c8-)\"; echo \"err $API_KEY\" >&2; "
        + "printf '%s' \"$API_KEY\" | sha256sum | cut -c1-64; echo \"plain $PLAIN\"";
    assertEquals(TaskSlots.Admission.ACCEPTED, slots.accept(dispatch("t-sec", "lease-1", cmd,
        Map.of("API_KEY", sealed))));
    Completion c = await("t-sec");
    assertEquals("succeeded", c.status(), c::toString);
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(VALUE.getBytes(StandardCharsets.UTF_8)));
    assertEquals("a=***\n" + digest + "\nplain shown\n", c.stdout(), "the task saw the value; its output shows ***");
    assertEquals("err ***\n", c.stderr());
    String log = Files.readString(tmp.resolve("logs").resolve("t-sec.log"));
    assertFalse(log.contains("hunter2") || log.contains("s3cret"), log);
    // why: the log takes stdout and stderr as each reader gets them, so stderr may land between "a=" and "***"
    assertTrue(log.contains("a=") && log.contains("err ***") && log.replace("err ***", "").contains("***"), log);
  }

  @Test
  void aValueSealedForAnotherLeaseFailsTheAttemptNamingTheVariable() throws Exception {
    TaskSlots slots = slots(SecretOpener.withKey(() -> key));
    String sealed = SecretSeal.seal(key, "t-other", "lease-1", "API_KEY", VALUE.getBytes(StandardCharsets.UTF_8));
    assertEquals(TaskSlots.Admission.ACCEPTED, slots.accept(dispatch("t-other", "lease-2", "echo ran",
        Map.of("API_KEY", sealed))));
    Completion c = await("t-other");
    assertEquals("failed", c.status());
    assertEquals(Completion.SECRET_UNAVAILABLE, c.reason());
    assertTrue(c.error().contains("API_KEY") && c.error().contains("n1"), c.error());
    assertEquals("", c.stdout(), "nothing ran");
    assertEquals(0, slots.running());
  }

  @Test
  void aNodeWithoutAKeyFailsTasksWithSecretsAndRunsTheRest() throws Exception {
    TaskSlots slots = slots(SecretOpener.NONE);
    String sealed = SecretSeal.seal(key, "t-nokey", "l", "TOKEN", VALUE.getBytes(StandardCharsets.UTF_8));
    slots.accept(dispatch("t-nokey", "l", "echo ran", Map.of("TOKEN", sealed)));
    Completion c = await("t-nokey");
    assertEquals(Completion.SECRET_UNAVAILABLE, c.reason());
    assertTrue(c.error().contains("TOKEN") && c.error().contains("holds no key"), c.error());
    slots.accept(dispatch("t-plain", "l", "echo ran", Map.of()));
    assertEquals("ran\n", await("t-plain").stdout());
  }
}
