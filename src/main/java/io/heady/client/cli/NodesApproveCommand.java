package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code heady nodes approve NODE}: an operator lets a node that enrolled join the cluster. */
@Command(name = "approve", description = {"Approve a node waiting as pending_approval (the manager runs with "
    + "--approve-nodes): it gets its certificate and joins.",
    "Compare the fingerprint shown by 'heady nodes NODE' with the one the agent logged before approving."})
final class NodesApproveCommand extends SubCommand {
  @Parameters(index = "0", paramLabel = "NODE", description = "node id or name (an id wins; a name must be unique)")
  String node;

  @Override
  public Integer call() {
    JsonObject e = client().post(ApiPaths.approve(node), new JsonObject());
    if (json()) {
      top.printJson(e);
    } else {
      top.print("node " + e.getString("node_id") + " is approved (key fingerprint " + e.getString("fingerprint")
          + "); it joins at its next attempt\n");
    }
    return ExitCodes.OK;
  }
}
