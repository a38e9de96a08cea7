package io.heady.manager.api;

import io.heady.manager.metrics.HeadyMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The web dashboard (static files from the jar's {@code webroot/}), {@code GET /metrics} and the readiness
 * checks that need more than the API has (the cluster's).
 *
 * <p>The dashboard's files are open: they hold no data. The page asks for a token (the admin token or a named
 * token), sends it on every API call and offers what its role may do; the event stream, which a browser opens
 * without headers, takes it as {@code ?token=}.
 */
public final class DashboardRoutes {
  /** Where the dashboard's files are, on the class path. */
  public static final String WEBROOT = "webroot";
  // why: everything comes from this manager (no CDN), so the page can forbid every other origin
  static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
      + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final Supplier<Future<String>> metrics;
  private final Map<String, Handler<Promise<Status>>> checks = new LinkedHashMap<>();

  /** @param metrics the Prometheus text of the manager's registry */
  public DashboardRoutes(Supplier<Future<String>> metrics) {
    this.metrics = metrics;
  }

  /** Adds a readiness procedure to {@code /health/ready}. */
  public DashboardRoutes readiness(String name, Handler<Promise<Status>> procedure) {
    checks.put(name, procedure);
    return this;
  }

  void mount(Routes routes, HealthChecks health) {
    checks.forEach((name, p) -> health.register(name, 3000, p));
    routes.health("/metrics", this::metrics);
    // why: on a route ending in /*, the static handler looks up only what follows the prefix
    routes.open("GET", "/", files(WEBROOT));
    routes.open("GET", "/assets/*", files(WEBROOT + "/assets"));
  }

  private static Handler<RoutingContext> files(String root) {
    StaticHandler h = StaticHandler.create(root).setCachingEnabled(false).setDirectoryListing(false)
        .setIncludeHidden(false).setDefaultContentEncoding("UTF-8");
    return rc -> {
      rc.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "no-referrer").putHeader("X-Frame-Options", "DENY")
          .putHeader("Cache-Control", "no-cache");
      h.handle(rc);
    };
  }

  private void metrics(RoutingContext rc) {
    metrics.get().onComplete(ar -> {
      if (rc.response().ended()) {
        return;
      }
      if (ar.succeeded()) {
        rc.response().putHeader("Content-Type", HeadyMetrics.CONTENT_TYPE)
            .end(ar.result());
      } else {
        Replies.error(rc, ar.cause());
      }
    });
  }
}
