package io.heady.client.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the processes of a run used, as the result line reports it: CPU seconds of the bench, the manager and
 * each agent (read before and after the measured phase) and their resident memory. -1 or {@code null} where a
 * process is unknown (a cluster not started here, without {@code --manager-pid}).
 */
final class ProcessUsage {
  private ProcessUsage() {}

  /** CPU seconds used so far by: this process, the manager, then each agent (-1 where unknown). */
  static double[] cpu(long mpid, List<Long> apids) {
    double[] c = new double[2 + apids.size()];
    c[0] = ProcInfo.cpuSeconds(ProcessHandle.current().pid());
    c[1] = mpid > 0 ? ProcInfo.cpuSeconds(mpid) : -1;
    for (int i = 0; i < apids.size(); i++) {
      c[2 + i] = ProcInfo.cpuSeconds(apids.get(i));
    }
    return c;
  }

  /** {@code {bench, manager, agents[]}}: CPU seconds each used during the measured phase. */
  static JsonObject cpuUsed(double[] a, double[] b, int agents) {
    JsonArray ag = new JsonArray();
    for (int i = 0; i < agents; i++) {
      ag.add(diff(a, b, 2 + i));
    }
    return new JsonObject().put("bench", diff(a, b, 0)).put("manager", diff(a, b, 1)).put("agents", ag);
  }

  /** {@code {manager, agents}}: CPU microseconds a task (agents summed), the cost that bounds throughput. */
  static JsonObject cpuPerTask(double[] a, double[] b, int agents, int tasks) {
    if (tasks <= 0) {
      return null;
    }
    double ag = 0;
    for (int i = 0; i < agents; i++) {
      Double d = diff(a, b, 2 + i);
      ag += d == null ? 0 : d;
    }
    Double m = diff(a, b, 1);
    Double bench = diff(a, b, 0);
    return new JsonObject().put("manager", m == null ? null : Math.round(m * 1e6 / tasks))
        .put("agents", agents == 0 ? null : Math.round(ag * 1e6 / tasks))
        .put("bench", bench == null ? null : Math.round(bench * 1e6 / tasks));
  }

  private static Double diff(double[] a, double[] b, int i) {
    return a[i] < 0 || b[i] < 0 ? null : Math.round((b[i] - a[i]) * 100) / 100.0;
  }

  /** {@code {manager, agents[]}}: resident memory in MB now. */
  static JsonObject rss(long mpid, List<Long> apids) {
    JsonArray a = new JsonArray();
    for (long p : apids) {
      a.add(ProcInfo.rssMb(p));
    }
    return new JsonObject().put("manager", mpid > 0 ? ProcInfo.rssMb(mpid) : null).put("agents", a);
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
