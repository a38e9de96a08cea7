package io.heady;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which invocations start a server and which run the command line. */
class MainTest {
  @Test
  void aProcessRoleStartsAServer() {
    assertTrue(Main.isServerInvocation(new String[] {"--role=manager"}));
    assertTrue(Main.isServerInvocation(new String[] {"--port", "7070", "--role", "agent"}));
    assertTrue(Main.isServerInvocation(new String[] {"--data-dir=/tmp/x", "--role=agent", "--token=t"}));
  }

  @Test
  void aCommandWordIsTheCommandLineWhateverFollows() {
    assertFalse(Main.isServerInvocation(new String[] {"token", "create", "wall", "--role", "viewer"}),
        "a token's role given as --role must be a usage error of 'heady token', never a server start");
    assertFalse(Main.isServerInvocation(new String[] {"token", "create", "wall", "--role=viewer"}));
    assertFalse(Main.isServerInvocation(new String[] {"--url", "http://m:7070", "token", "--role", "x"}));
    assertFalse(Main.isServerInvocation(new String[] {"nodes"}));
    assertEquals("token", Main.commandWord(new String[] {"--token", "abc", "--json", "token", "list"}));
  }
}
