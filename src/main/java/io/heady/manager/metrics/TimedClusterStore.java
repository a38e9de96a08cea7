package io.heady.manager.metrics;

import io.heady.manager.store.ClusterStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wraps a {@link ClusterStore} so that every call that answers with a {@link Future} is timed into
 * {@code heady_store_operation_seconds{operation, outcome}}; everything else passes through unchanged.
 *
 * <p>why a proxy rather than a hand-written decorator: the store interface grows (leadership, retention), and a
 * decorator that forgot a new method would stop the build or, with a default method, silently bypass the inner
 * store; the proxy times whatever the interface has, with the method name as the {@code operation} label.
 */
public final class TimedClusterStore implements InvocationHandler {
  static final Duration[] BUCKETS = {Duration.ofNanos(100_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
      Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)};

  private final ClusterStore inner;
  private final MeterRegistry registry;
  private final Map<Method, String> names = new ConcurrentHashMap<>();

  private TimedClusterStore(ClusterStore inner, MeterRegistry registry) {
    this.inner = inner;
    this.registry = registry;
  }

  /** A store that times every asynchronous call to {@code inner}. */
  public static ClusterStore wrap(ClusterStore inner, MeterRegistry registry) {
    return (ClusterStore) Proxy.newProxyInstance(ClusterStore.class.getClassLoader(),
        new Class<?>[] {ClusterStore.class}, new TimedClusterStore(inner, registry));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "timed(" + inner + ")";
      };
    }
    if (!Future.class.isAssignableFrom(method.getReturnType())) {
      return call(method, args);
    }
    long start = System.nanoTime();
    String op = names.computeIfAbsent(method, m -> snake(m.getName()));
    Future<?> f;
    try {
      f = (Future<?>) call(method, args);
    } catch (RuntimeException | Error e) {
      record(op, false, start);
      throw e;
    }
    if (f == null) {
      return null;
    }
    return f.andThen(ar -> record(op, ar.succeeded(), start));
  }

  private Object call(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(inner, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private void record(String op, boolean ok, long start) {
    Timer.builder("heady.store.operation").description("Latency of calls to the cluster store, by operation")
        .tag("operation", op).tag("outcome", ok ? "ok" : "error").serviceLevelObjectives(BUCKETS)
        .register(registry).record(Duration.ofNanos(System.nanoTime() - start));
  }

  /** {@code saveTasks} → {@code save_tasks}. */
  static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
