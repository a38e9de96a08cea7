package io.heady.common.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's prefetch, with real processes: a full node queues up to its prefetch of the manager's dispatches and
 * starts them in order as slots free, never running more than its slots; a queued one is dropped on cancel and
 * never runs; after close the queued ones still run; past the grace they are dropped unstarted. Each task waits
 * for its own file to appear, so the test decides when a slot frees.
 */
class TaskSlotsPrefetchTest {
  private static ExecutorService threads;
  private static ScheduledThreadPoolExecutor timers;
  private final Map<String, CompletableFuture<Completion>> finished = new ConcurrentHashMap<>();
  private final List<String> started = new CopyOnWriteArrayList<>();
  private final AtomicInteger runningNow = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();

  @TempDir
  Path tmp;

  @BeforeAll
  static void setUp() {
    threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "prefetch-test");
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

  private final TaskSlots.Reporter reporter = new TaskSlots.Reporter() {
    @Override
    public void started(Dispatch d) {
      started.add(d.taskId());
      mostAtOnce.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
    }

    @Override
    public void finished(Completion c) {
      runningNow.decrementAndGet();
      finished.computeIfAbsent(c.taskId(), k -> new CompletableFuture<>()).complete(c);
    }
  };

  private TaskSlots slots(int limit, int prefetch) {
    TaskSlots s = new TaskSlots("n1", limit, new ProcessRunner(threads, timers), new TaskSlots.Settings(4096,
        1 << 20, Duration.ofSeconds(1), tmp.resolve("logs")), reporter, Clock.systemUTC());
    s.prefetch(prefetch);
    return s;
  }

  /** A task that runs until its file {@code <id>.go} appears in the test's directory. */
  private Dispatch waiting(String id) {
    String go = tmp.resolve(id + ".go").toString();
    return new Dispatch(id, "lease-" + id, 1, "shell", "P2", "while [ ! -f '" + go + "' ]; do sleep 0.02; done",
        List.of(), Map.of(), null, 120_000, false, null);
  }

  private void release(String id) throws Exception {
    Files.writeString(tmp.resolve(id + ".go"), "");
  }

  private Completion await(String id) throws Exception {
    return finished.computeIfAbsent(id, k -> new CompletableFuture<>()).get(60, TimeUnit.SECONDS);
  }

  private static void waitFor(BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 60 s: " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  @Test
  void aFullNodeQueuesUpToItsPrefetchAndStartsThemInOrderNeverMoreThanItsSlots() throws Exception {
    TaskSlots slots = slots(1, 2);
    assertEquals(TaskSlots.Admission.ACCEPTED, slots.accept(waiting("a")));
    assertEquals(TaskSlots.Admission.ACCEPTED, slots.accept(waiting("b")));
    assertEquals(TaskSlots.Admission.ACCEPTED, slots.accept(waiting("c")));
    assertEquals(TaskSlots.Admission.FULL, slots.accept(waiting("d")), "past the prefetch the node is full");
    assertEquals(TaskSlots.Admission.DUPLICATE, slots.accept(waiting("b")), "a queued dispatch again is a duplicate");
    assertEquals(1, slots.running());
    assertEquals(List.of("b", "c"), slots.queuedIds());
    assertEquals(3, slots.held());
    assertEquals(List.of("a"), started);

    release("a");
    assertEquals("succeeded", await("a").status());
    waitFor(() -> started.contains("b"), "b starts when a's slot frees");
    assertEquals(List.of("c"), slots.queuedIds());
    assertFalse(started.contains("c"), "c waits for b's slot");
    release("c"); // c's file is there before it starts: it ends as soon as it runs, after b
    release("b");
    assertEquals("succeeded", await("b").status());
    assertEquals("succeeded", await("c").status());
    assertEquals(List.of("a", "b", "c"), started, "queued tasks start in the order they came");
    assertEquals(1, mostAtOnce.get(), "never more running at once than the slots");
    waitFor(() -> slots.held() == 0, "the node holds nothing");
  }

  @Test
  void aCancelledQueuedTaskIsDroppedAndNeverRuns() throws Exception {
    TaskSlots slots = slots(1, 4);
    slots.accept(waiting("a"));
    slots.accept(waiting("b"));
    slots.accept(waiting("c"));
    assertFalse(slots.cancel("b", "another-lease"), "only its own lease cancels it");
    assertTrue(slots.cancel("b", "lease-b"));
    assertEquals(List.of("c"), slots.queuedIds());
    release("b");
    release("c");
    release("a");
    assertEquals("succeeded", await("c").status());
    assertEquals(List.of("a", "c"), started, "the cancelled one never started");
    assertFalse(finished.containsKey("b"), "and reports nothing: the manager settled it when it cancelled it");
  }

  @Test
  void onlyTheManagersDispatchesWaitAndWithoutPrefetchAFullNodeRefuses() throws Exception {
    TaskSlots slots = slots(1, 2);
    slots.accept(waiting("a"));
    TaskSlots.Reporter own = new TaskSlots.Reporter() {
      @Override
      public void started(Dispatch d) {}

      @Override
      public void finished(Completion c) {}
    };
    assertEquals(TaskSlots.Admission.FULL, slots.accept(waiting("x"), own), "an execute never waits in the queue");
    slots.prefetch(0);
    assertEquals(TaskSlots.Admission.FULL, slots.accept(waiting("b")), "prefetch 0: full is full");
    release("a");
    await("a");
  }

  @Test
  void afterCloseQueuedTasksStillRunAndCancelAllDropsThemUnstarted() throws Exception {
    TaskSlots slots = slots(1, 3);
    slots.accept(waiting("a"));
    slots.accept(waiting("b"));
    slots.accept(waiting("c"));
    slots.close();
    assertEquals(TaskSlots.Admission.CLOSED, slots.accept(waiting("d")));
    release("a");
    release("b");
    assertEquals("succeeded", await("b").status(), "accepted before the close, b still runs");
    waitFor(() -> started.contains("c"), "c starts too");
    TaskSlots more = slots(1, 3);
    more.accept(waiting("e"));
    more.accept(waiting("f"));
    more.cancelAll();
    assertEquals(List.of(), more.queuedIds(), "past the grace, queued tasks are dropped unstarted");
    assertEquals("cancelled", await("e").status(), "the running one is stopped");
    assertFalse(started.contains("f"));
    release("c");
    await("c");
  }

  @Test
  void noopsQueuedBehindARunningTaskCompleteWhenItsSlotFrees() throws Exception {
    TaskSlots slots = slots(1, 2);
    slots.accept(waiting("a"));
    Dispatch n1 = new Dispatch("n1", "lease-n1", 1, "noop", "P2", null, List.of(), Map.of(), null, 1000, true, null);
    Dispatch n2 = new Dispatch("n2", "lease-n2", 1, "noop", "P2", null, List.of(), Map.of(), null, 1000, true, null);
    assertEquals(TaskSlots.Admission.ACCEPTED, slots.accept(n1));
    assertEquals(TaskSlots.Admission.ACCEPTED, slots.accept(n2));
    assertFalse(finished.containsKey("n1"));
    release("a");
    assertEquals("succeeded", await("n1").status());
    assertEquals("succeeded", await("n2").status());
    assertEquals(List.of("a", "n1", "n2"), started);
    assertEquals(1, mostAtOnce.get());
  }
}
