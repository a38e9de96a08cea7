package io.heady.manager.metrics;

import io.heady.manager.scheduler.ClusterService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.function.Predicate;

/**
 * Feeds the metrics: every event on {@code heady.events} goes to {@link TaskMetrics} (with the task's timings
 * read on the scheduler's loop when the metric needs them), and a periodic snapshot of the scheduler sets the
 * {@link ClusterGauges}; a scrape refreshes the snapshot first, so gauges are never older than the scrape.
 */
public final class MetricsVerticle extends VerticleBase {
  /** How long a scrape waits for a fresh snapshot before it serves the last one. */
  static final long SCRAPE_REFRESH_MS = 1000;

  private final ClusterService cluster;
  private final HeadyMetrics metrics;
  private final Predicate<String> knownType;
  private final long refreshMs;
  private TaskMetrics tasks;
  private ClusterGauges gauges;
  private Runnable unlisten = () -> { };

  /**
   * @param knownType whether the routing policy lists a task type (else it is labelled {@code other})
   * @param refreshMs how often the cluster gauges are read from the scheduler between scrapes
   */
  public MetricsVerticle(ClusterService cluster, HeadyMetrics metrics, Predicate<String> knownType,
      long refreshMs) {
    this.cluster = cluster;
    this.metrics = metrics;
    this.knownType = knownType;
    this.refreshMs = refreshMs;
  }

  @Override
  public Future<?> start() {
    tasks = new TaskMetrics(metrics.registry(), knownType);
    gauges = new ClusterGauges(metrics.registry());
    // why: events reach the metrics on the scheduler's loop, with the timings it read as it made them
    unlisten = cluster.journal().listen(batch -> batch.forEach(e -> tasks.record(e.json(), e.event().timings())));
    vertx.setPeriodic(refreshMs, id -> refresh());
    return refresh().recover(e -> Future.succeededFuture());
  }

  @Override
  public Future<?> stop() {
    unlisten.run();
    return Future.succeededFuture();
  }

  /** Reads a snapshot of the scheduler into the gauges. */
  public Future<Void> refresh() {
    return cluster.snapshot().onSuccess(gauges::update).mapEmpty();
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
