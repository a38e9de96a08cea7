package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.heady.client.NodeInfo;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code heady nodes reinstate NODE}: an operator lifts a node's quarantine. */
@Command(name = "reinstate", description = {"Lift a quarantined (degraded) node's quarantine: it takes any task "
    + "again, with its fault streak cleared.",
    "Without this, a quarantined node earns its way back by running P3 tasks on probation."})
final class NodesReinstateCommand extends SubCommand {
  @Parameters(index = "0", paramLabel = "NODE", description = "node id or name (an id wins; a name must be unique)")
  String node;

  @Override
  public Integer call() {
    JsonObject n = client().post(ApiPaths.reinstate(node), new JsonObject());
    if (json()) {
      top.printJson(n);
      return ExitCodes.OK;
    }
    NodeInfo i = NodeInfo.fromJson(n);
    top.print("node " + DrainCommand.label(i) + " is reinstated (status " + i.status() + ", reliability "
        + n.getInteger("reliability_score") + ")\n");
    return ExitCodes.OK;
  }
}
