package io.heady.manager.metrics;

import io.heady.common.protocol.Addresses;
import io.heady.manager.scheduler.SchedulerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the metrics: every event on {@code heady.events} goes to {@link TaskMetrics} (with the task's timings
 * read on the scheduler's loop when the metric needs them), and a periodic snapshot of the scheduler sets the
 * {@link ClusterGauges}; a scrape refreshes the snapshot first, so gauges are never older than the scrape.
 */
public final class MetricsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsVerticle.class);
  /** How long a scrape waits for a fresh snapshot before it serves the last one. */
  static final long SCRAPE_REFRESH_MS = 1000;

  private final SchedulerVerticle scheduler;
  private final HeadyMetrics metrics;
  private final Predicate<String> knownType;
  private final long refreshMs;
  private TaskMetrics tasks;
  private ClusterGauges gauges;

  /**
   * @param knownType whether the routing policy lists a task type (else it is labelled {@code other})
   * @param refreshMs how often the cluster gauges are read from the scheduler between scrapes
   */
  public MetricsVerticle(SchedulerVerticle scheduler, HeadyMetrics metrics, Predicate<String> knownType,
      long refreshMs) {
    this.scheduler = scheduler;
    this.metrics = metrics;
    this.knownType = knownType;
    this.refreshMs = refreshMs;
  }

  @Override
  public Future<?> start() {
    tasks = new TaskMetrics(metrics.registry(), knownType);
    gauges = new ClusterGauges(metrics.registry());
    vertx.eventBus().<JsonObject>localConsumer(Addresses.EVENTS, m -> onEvent(m.body()));
    vertx.setPeriodic(refreshMs, id -> refresh());
    return refresh().recover(e -> Future.succeededFuture());
  }

  private void onEvent(JsonObject e) {
    String type = e.getString("type", "");
    JsonObject data = e.getJsonObject("data");
    String taskId = data == null ? null : data.getString("task_id");
    if (taskId == null || !TaskMetrics.needsTimings(type)) {
      tasks.record(e, TaskTimings.NONE);
      return;
    }
    scheduler.read(s -> TaskTimings.of(s.tasks().get(taskId))).onComplete(ar -> {
      if (ar.failed()) {
        LOG.debug("timings of {}: {}", taskId, ar.cause().getMessage());
      }
      tasks.record(e, ar.succeeded() ? ar.result() : TaskTimings.NONE);
    });
  }

  /** Reads a snapshot of the scheduler into the gauges. */
  public Future<Void> refresh() {
    return scheduler.read(ClusterSnapshot::of).onSuccess(gauges::update).mapEmpty();
  }

  /** The Prometheus text, after a refresh of the gauges (or, when the scheduler is slow, with the last ones). */
  public Future<String> scrape() {
    Promise<Void> fresh = Promise.promise();
    long timer = vertx.setTimer(SCRAPE_REFRESH_MS, id -> fresh.tryComplete());
    refresh().onComplete(ar -> {
      vertx.cancelTimer(timer);
      fresh.tryComplete();
    });
    return fresh.future().compose(v -> vertx.executeBlocking(metrics::scrape, false));
  }
}
