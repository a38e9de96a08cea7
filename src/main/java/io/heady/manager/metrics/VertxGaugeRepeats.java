package io.heady.manager.metrics;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Drops Micrometer's "This Gauge has been already registered" message for Vert.x's own gauges, and only those.
 *
 * <p>why: Vert.x (5.0) registers each of its gauges (event-bus handlers and pending messages, HTTP active connections
 * and requests, …) again every time one more consumer, connection or request uses it, each time backed by the same
 * counter, so the gauge stays right; Micrometer warns about every registration of a gauge it holds already. Every
 * manager start therefore logged a warning that asked nothing of anyone. A gauge of heady's own registered twice is
 * still reported (a real mistake: the second value would be ignored).
 */
final class VertxGaugeRepeats extends TurboFilter {
  /** The logger Micrometer reports double registrations with. */
  static final String LOGGER = io.micrometer.core.instrument.MeterRegistry.class.getName();
  private static final String REPEAT = "has been already registered (MeterId{name='vertx.";

  /** Adds the filter to the logging context once (the manager's metrics call it when they are made). */
  static synchronized void install() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return; // another logging backend: nothing to filter with
    }
    if (ctx.getTurboFilterList().stream().noneMatch(f -> f instanceof VertxGaugeRepeats)) {
      VertxGaugeRepeats f = new VertxGaugeRepeats();
      f.setName("vertx-gauge-repeats");
      f.start();
      ctx.addTurboFilter(f);
    }
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
      Throwable t) {
    return logger != null && LOGGER.equals(logger.getName()) && format != null && format.contains(REPEAT)
        ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
