package io.heady.client.chaos;

import io.heady.client.bench.AdminHttp;
import io.heady.common.retry.Backoff;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Submits N shell tasks at a steady rate, one request each, as a careful client does: every task has an id of
 * the client's choosing ({@code chaos-<run>-<i>}), so sending it again is harmless, and a submission the manager
 * refuses for a passing reason (503 store down or not leader, 429, no answer at all while it restarts) is sent
 * again after a short back-off until it is accepted or the run's deadline passes. Task {@code i} runs
 * {@code sleep 0.<ms>; echo chaos-<run>-<i>}, the sleep drawn from the seed, so a killed agent holds running tasks.
 */
public final class TaskStream implements AutoCloseable {
  private static final int THREADS = 8;
  /** Waits between tries of a submission the manager did not take yet. */
  private static final Backoff BACKOFF = Backoff.doubling(200, 2000);

  private final AdminHttp admin;
  private final String prefix;
  private final int n;
  private final int rate;
  private final int[] sleepMs;
  private final AtomicLongArray acceptedAt;
  private final AtomicReferenceArray<String> refused;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger settled = new AtomicInteger();
  private final AtomicInteger retriedTasks = new AtomicInteger();
  private final LongAdder retries = new LongAdder();
  private final Map<String, AtomicLong> retryCauses = new ConcurrentHashMap<>();
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(daemon("chaos-pacer"));
  private final ExecutorService senders = Executors.newFixedThreadPool(THREADS, daemon("chaos-submit"));
  private volatile long deadlineNanos;
  private volatile boolean closed;
  private ScheduledFuture<?> ticker;

  /**
   * @param runId names this run's tasks
   * @param taskMs each task first sleeps a time drawn from 0 to this many milliseconds
   */
  public TaskStream(AdminHttp admin, String runId, int tasks, int rate, int taskMs, long seed) {
    this.admin = admin;
    this.prefix = "chaos-" + runId + "-";
    this.n = tasks;
    this.rate = rate;
    this.sleepMs = new int[tasks];
    Random r = new Random(seed ^ 0x5DEECE66DL);
    for (int i = 0; i < tasks; i++) {
      sleepMs[i] = taskMs == 0 ? 0 : r.nextInt(taskMs + 1);
    }
    this.acceptedAt = new AtomicLongArray(tasks);
    this.refused = new AtomicReferenceArray<>(tasks);
  }

  /** Starts submitting; a task not accepted by {@code deadlineNanos} ({@link System#nanoTime()}) is given up. */
  public synchronized void start(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
    long period = Math.max(1, TimeUnit.SECONDS.toNanos(1) / rate);
    ticker = pacer.scheduleAtFixedRate(this::tick, 0, period, TimeUnit.NANOSECONDS);
  }

  private void tick() {
    int i = next.getAndIncrement();
    if (i >= n) {
      ticker.cancel(false);
      return;
    }
    senders.execute(() -> submit(i));
  }

  private void submit(int i) {
    JsonObject body = new JsonObject().put("id", id(i)).put("type", "shell").put("command", command(i));
    long backoff = BACKOFF.first();
    boolean retried = false;
    String last = null;
    while (!closed) {
      AdminHttp.Res r = admin.post("/api/cluster/tasks/route", body);
      if (r.status() == 200 || r.status() == 201) {
        acceptedAt.set(i, System.nanoTime());
        settled.incrementAndGet();
        return;
      }
      last = cause(r);
      boolean passing = r.status() == 0 || r.status() == 429 || r.status() >= 500;
      if (!passing) {
        refuse(i, "refused with " + last);
        return;
      }
      if (System.nanoTime() > deadlineNanos) {
        refuse(i, "still refused at the deadline (last answer: " + last + ")");
        return;
      }
      retries.increment();
      retryCauses.computeIfAbsent(last, k -> new AtomicLong()).incrementAndGet();
      if (!retried) {
        retried = true;
        retriedTasks.incrementAndGet();
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      backoff = BACKOFF.next(backoff);
    }
    refuse(i, "the run stopped before it was accepted" + (last == null ? "" : " (last answer: " + last + ")"));
  }

  private void refuse(int i, String why) {
    if (refused.compareAndSet(i, null, why)) {
      settled.incrementAndGet();
    }
  }

  /** {@code 503 STORE_UNAVAILABLE}, {@code no answer}: why a submission was not accepted. */
  static String cause(AdminHttp.Res r) {
    if (r.status() == 0) {
      return "no answer";
    }
    JsonObject e = r.json() == null ? null : r.json().getJsonObject("error");
    String code = e == null ? null : e.getString("code");
    return r.status() + (code == null ? "" : " " + code);
  }

  /** The shell command of task {@code i}. */
  public String command(int i) {
    return command(marker(i), sleepMs[i]);
  }

  static String command(String marker, int sleepMs) {
    return sleepMs == 0 ? "echo " + marker
        : String.format(java.util.Locale.ROOT, "sleep %d.%03d; echo %s", sleepMs / 1000, sleepMs % 1000, marker);
  }

  public String id(int i) {
    return prefix + i;
  }

  /** The line task {@code i} prints: its id. */
  public String marker(int i) {
    return id(i);
  }

  /** The task index of an id of this run, or -1. */
  public int index(String id) {
    if (id == null || !id.startsWith(prefix)) {
      return -1;
    }
    try {
      int i = Integer.parseInt(id, prefix.length(), id.length(), 10);
      return i >= 0 && i < n ? i : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public int size() {
    return n;
  }

  /** Tasks accepted or given up so far. */
  public int settled() {
    return settled.get();
  }

  public boolean allSettled() {
    return settled.get() >= n;
  }

  /** When task {@code i} was accepted ({@link System#nanoTime()}), 0 when not (yet). */
  public long acceptedAt(int i) {
    return acceptedAt.get(i);
  }

  /** Why task {@code i} was never accepted, or null. */
  public String refused(int i) {
    return refused.get(i);
  }

  public long retries() {
    return retries.sum();
  }

  public int retriedTasks() {
    return retriedTasks.get();
  }

  /** Retries by cause ({@code 503 STORE_UNAVAILABLE}: 120 …), sorted by cause. */
  public Map<String, Long> retryCauses() {
    Map<String, Long> m = new TreeMap<>();
    retryCauses.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  @Override
  public void close() {
    closed = true;
    pacer.shutdownNow();
    senders.shutdownNow();
    try {
      senders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger k = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + k.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
