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
    sb.append(w.onlineWorkers()).append('/').append(w.totalWorkers()).append(" workers online, ").append(w.totalActive())
        .append(" tasks running, ").append(w.totalQueued()).append(" queued\n");
    if (!w.workers().isEmpty()) {
      Table t = new Table("WORKER", "NODE", "TYPE", "STATUS", "TIER", "ACTIVE", "QUEUED", "REL", "DONE", "FAILED",
          "RUNNING", "CAPABILITIES").right(5, 6, 7, 8, 9);
      w.workers().values().forEach(x -> t.row(x.name(), x.nodeId(), x.type(), x.status(), x.tier(),
          x.active() + "/" + x.maxConcurrent(), x.queuedJobs(), Render.number(x.reliability()), x.tasksCompleted(),
          x.tasksFailed(),
          Table.cut(String.join(",", x.activeTaskIds()), 40), Table.cut(String.join(",", x.capabilities()), 40)));
      sb.append(t.render());
    }
    top.print(sb.toString());
    return ExitCodes.OK;
  }
}
