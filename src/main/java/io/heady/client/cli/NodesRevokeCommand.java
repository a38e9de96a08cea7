package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code heady nodes revoke NODE}: an operator takes a node's credential away for good. */
@Command(name = "revoke", description = {"Revoke a node's credential: its next call is refused, its running tasks "
    + "are stopped and run elsewhere, and its key never enrolls again.",
    "A machine that should come back enrolls anew with a new key (and the join token)."})
final class NodesRevokeCommand extends SubCommand {
  @Parameters(index = "0", paramLabel = "NODE", description = "node id or name (an id wins; a name must be unique)")
  String node;

  @Override
  public Integer call() {
    JsonObject e = client().post(ApiPaths.revoke(node), new JsonObject());
    if (json()) {
      top.printJson(e);
    } else {
      top.print("node " + e.getString("node_id") + " is revoked: nothing it sends is accepted any more\n");
    }
    return ExitCodes.OK;
  }
}
