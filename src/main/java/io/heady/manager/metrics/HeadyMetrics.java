package io.heady.manager.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.lang.management.ManagementFactory;
import java.util.UUID;

/**
 * The manager's one Prometheus registry: heady's own meters, the JVM and process binders, and Vert.x's
 * HTTP, event-bus and pool metrics, all scraped together at {@code GET /metrics}.
 */
public final class HeadyMetrics implements AutoCloseable {
  /** The content type of the text exposition format {@link #scrape()} writes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** The {@code method} label of requests whose method is not a standard one. */
  public static final String OTHER_METHOD = "OTHER";
  private static final java.util.Set<String> STANDARD_METHODS = java.util.Set.of("GET", "HEAD", "POST", "PUT",
      "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;
  // why: Vert.x finds its metrics backend by name in a static map; a unique name keeps two managers in one
  // JVM (tests) apart
  private final String vertxRegistryName = "heady-" + UUID.randomUUID();

  private HeadyMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
    this.registry = registry;
    this.gc = gc;
  }

  /** A registry with the JVM and process metrics bound. */
  public static HeadyMetrics create() {
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // why: promtool's lint rejects two of Micrometer's names (a "_count" gauge and "ns" in a name); the CPU
    // time is served in seconds instead, under the name Prometheus' own process collector uses
    r.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
    r.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
      }
    });
    r.config().meterFilter(boundedMethods());
    VertxGaugeRepeats.install();
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu.seconds", os, o -> o.getProcessCpuTime() / 1e9)
          .description("CPU time used by the manager's JVM process").register(r);
    }
    new ClassLoaderMetrics().bindTo(r);
    new JvmMemoryMetrics().bindTo(r);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(r);
    new JvmThreadMetrics().bindTo(r);
    new JvmInfoMetrics().bindTo(r);
    new ProcessorMetrics().bindTo(r);
    new UptimeMetrics().bindTo(r);
    new FileDescriptorMetrics().bindTo(r);
    return new HeadyMetrics(r, gc);
  }

  /**
   * Vert.x labels HTTP metrics with the request's method as the client sent it, and any token is a method to
   * HTTP; so that no caller, with or without a token, can add series, a method outside the standard ones is
   * counted as {@value #OTHER_METHOD}. (The other HTTP labels are the status code, which the server chooses;
   * paths and routes are not labels.)
   */
  static MeterFilter boundedMethods() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        String m = id.getTag("method");
        if (m == null || STANDARD_METHODS.contains(m)) {
          return id;
        }
        java.util.List<Tag> tags = new java.util.ArrayList<>();
        for (Tag t : id.getTagsAsIterable()) {
          tags.add(t.getKey().equals("method") ? Tag.of("method", OTHER_METHOD) : t);
        }
        return id.replaceTags(tags);
      }
    };
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Vert.x metrics options that report into this registry (set them on {@code VertxOptions} before the
   * Vert.x instance is built).
   */
  public MicrometerMetricsOptions vertxOptions() {
    VertxPrometheusOptions prom = new VertxPrometheusOptions().setEnabled(true).setStartEmbeddedServer(false);
    MicrometerMetricsOptions o = new MicrometerMetricsOptions().setEnabled(true).setRegistryName(vertxRegistryName)
        .setPrometheusOptions(prom).setJvmMetricsEnabled(false);
    BackendRegistries.setupBackend(o, registry);
    return o;
  }

  /** The registry in the Prometheus text format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    BackendRegistries.stop(vertxRegistryName);
    registry.close();
  }
}
