package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.heady.client.WorkerStatus;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;

/** {@code heady workers}: relayq's {@code worker_status()}. */
@Command(name = "workers", description = "Who is online and what each worker runs (relayq's worker_status()).")
final class WorkersCommand extends SubCommand {
  @Override
  public Integer call() {
    JsonObject j = client().get(ApiPaths.WORKERS);
    if (json()) {
      top.printJson(j);
      return ExitCodes.OK;
    }
    WorkerStatus w = WorkerStatus.fromJson(j);
    StringBuilder sb = new StringBuilder();
    sb.append(w.online()).append('/').append(w.totalWorkers()).append(" workers online, ").append(w.totalActive())
        .append(" tasks running, ").append(w.totalQueued()).append(" queued\n");
    if (!w.workers().isEmpty()) {
      Table t = new Table("WORKER", "NODE", "STATUS", "TIER", "ACTIVE", "REL", "DONE", "FAILED", "RUNNING",
          "CAPABILITIES").right(4, 5, 6, 7);
      w.workers().values().forEach(x -> t.row(x.name(), x.nodeId(), x.status(), x.tier(),
          x.active() + "/" + x.maxConcurrent(), Render.number(x.reliability()), x.tasksCompleted(), x.tasksFailed(),
          Table.cut(String.join(",", x.activeTaskIds()), 40), Table.cut(String.join(",", x.capabilities()), 40)));
      sb.append(t.render());
    }
    top.print(sb.toString());
    return ExitCodes.OK;
  }
}
