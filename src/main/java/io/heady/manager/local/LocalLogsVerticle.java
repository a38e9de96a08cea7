package io.heady.manager.local;

import io.heady.common.retention.LogRetention;
import io.heady.common.retention.LogSweeper;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Keeps the local executor's task logs within the node's retention ({@code --log-retention-days},
 * {@code --log-max-mb}), as an agent does with its own: a {@link LogSweeper} on a thread of its own for as long
 * as the manager's Vert.x runs. Never a running task's log: it asks the executor which run.
 */
public final class LocalLogsVerticle extends VerticleBase {
  private final LocalExecutorVerticle executor;
  private final Path logDir;
  private final LogRetention retention;
  private final Duration every;
  private final Clock clock;
  private LogSweeper sweeper;

  public LocalLogsVerticle(LocalExecutorVerticle executor, Path logDir, LogRetention retention, Duration every,
      Clock clock) {
    this.executor = executor;
    this.logDir = logDir;
    this.retention = retention;
    this.every = every;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    sweeper = new LogSweeper(logDir, retention, executor::runningIds, clock).every(every, "heady-local-log-retention");
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    sweeper.close();
    return Future.succeededFuture();
  }
}
