package io.heady.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both units pass {@code systemd-analyze verify} with no warning, and say what SETUP.md promises. */
class SystemdUnitTest {
  static final String LAUNCHER = "/opt/heady/launcher/heady";

  @ParameterizedTest
  @ValueSource(strings = {"heady-agent.service", "heady-manager.service"})
  void verifiesWithoutAWarning(String unit, @TempDir Path dir) throws IOException {
    Shell.Result r = verify(unit, Files.readString(Shell.PROJECT.resolve("systemd").resolve(unit)), dir);
    assertEquals(0, r.exit(), r.output());
    assertEquals("", r.output().strip(), "systemd-analyze verify must print nothing (warnings included)");
  }

  @Test
  void verifyReportsAnUnknownSetting(@TempDir Path dir) throws IOException {
    // why: verify exits 0 on unknown keys and only prints them; the test above must look at the output.
    String unit = Files.readString(Shell.PROJECT.resolve("systemd/heady-agent.service"))
        .replace("RestartSec=5", "RestartSec=5\nRestartEvery=sometimes");
    assertTrue(verify("heady-agent.service", unit, dir).output().contains("RestartEvery"));
  }

  @Test
  void verifyReadsDropIns(@TempDir Path dir) throws IOException {
    // why: the enrollment drop-in is checked with verify (InstallScriptTest); that proves something only if
    // verify reads drop-ins at all
    Shell.Result r = verify("heady-agent.service", Files.readString(Shell.PROJECT.resolve(
        "systemd/heady-agent.service")), Map.of("x.conf", "[Service]\nRestartEvery=sometimes\n"), dir);
    assertTrue(r.output().contains("RestartEvery"), r.output());
  }

  @ParameterizedTest
  @ValueSource(strings = {"agent", "manager"})
  void runsTheLauncherAndRestartsForeverContainingItsTasks(String role) throws IOException {
    Map<String, String> s = settings(Files.readString(Shell.PROJECT.resolve("systemd/heady-" + role + ".service")));
    assertEquals(LAUNCHER + " " + role, s.get("ExecStart"));
    assertEquals("/etc/heady/" + role + ".env", s.get("EnvironmentFile"));
    assertEquals("always", s.get("Restart"));
    assertEquals("5", s.get("RestartSec"));
    assertEquals("0", s.get("StartLimitIntervalSec"), "a node must never stop retrying");
    assertTrue(s.get("After").contains("network-online.target"));
    assertEquals("network-online.target", s.get("Wants"));
    assertEquals("mixed", s.get("KillMode"));
    assertEquals("yes", s.get("NoNewPrivileges"));
    assertEquals("full", s.get("ProtectSystem"));
    // issue 16: tasks in control groups of their own, a bound on processes, a private /tmp, no home folders
    assertEquals("yes", s.get("Delegate"), "the node makes a control group per task");
    assertEquals("4096", s.get("TasksMax"));
    assertEquals("yes", s.get("PrivateTmp"));
    assertEquals("yes", s.get("ProtectHome"));
    assertEquals("0027", s.get("UMask"));
    assertFalse(s.containsKey("ProtectControlGroups"), "read-only control groups would forbid the task groups");
    assertFalse(s.containsKey("PrivateDevices"), "GPUs (/dev/nvidia*, /dev/dri) must stay reachable");
    assertEquals("multi-user.target", s.get("WantedBy"));
  }

  @Test
  void theManagerRunsAsHeady() throws IOException {
    Map<String, String> s = settings(Files.readString(Shell.PROJECT.resolve("systemd/heady-manager.service")));
    assertEquals("heady", s.get("User"));
    assertEquals("heady", s.get("StateDirectory"));
  }

  @Test
  void theAgentRunsAsRootWithOnlyTheCapabilitiesATaskUserSwitchNeeds() throws IOException {
    Map<String, String> s = settings(Files.readString(Shell.PROJECT.resolve("systemd/heady-agent.service")));
    assertFalse(s.containsKey("User"), "root, so that tasks run as heady-task (SECURITY.md)");
    assertEquals(java.util.Set.of("CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_KILL", "CAP_CHOWN",
        "CAP_DAC_OVERRIDE"), java.util.Set.of(s.get("CapabilityBoundingSet").split(" ")));
    assertFalse(s.containsKey("AmbientCapabilities"));
    assertEquals("heady-agent", s.get("StateDirectory"), "its own data, not under the manager's /var/lib/heady");
    assertEquals("0700", s.get("StateDirectoryMode"), "the task user cannot read the node's key or logs");
    assertEquals("/var/lib/heady-task", s.get("WorkingDirectory"), "a task without a cwd starts in its own home");
  }

  @Test
  void theAgentAsHeadyDropInAndAHomeFolderDropInVerifyWithoutAWarning(@TempDir Path dir) throws IOException {
    // what install-agent.sh --agent-user heady writes, and SETUP.md's way to give tasks one home folder
    Shell.Result r = verify("heady-agent.service", Files.readString(Shell.PROJECT.resolve(
        "systemd/heady-agent.service")), Map.of("user.conf", "[Service]\nUser=heady\nGroup=heady\n"
        + "WorkingDirectory=/var/lib/heady\n", "home.conf", "[Service]\nProtectHome=tmpfs\n"
        + "BindPaths=/home/alice/builds\n"), dir);
    assertEquals(0, r.exit(), r.output());
    assertEquals("", r.output().strip(), "systemd-analyze verify must print nothing (warnings included)");
  }

  @Test
  void agentStopTimeoutOutlastsTheShutdownGrace() throws IOException {
    Map<String, String> s = settings(Files.readString(Shell.PROJECT.resolve("systemd/heady-agent.service")));
    assertTrue(Integer.parseInt(s.get("TimeoutStopSec")) > 300, "running tasks get 300 s to finish");
  }

  static Shell.Result verify(String name, String unit, Path dir) throws IOException {
    return verify(name, unit, Map.of(), dir);
  }

  /** Verifies {@code unit} together with drop-ins (file name to text), as systemd would load them. */
  static Shell.Result verify(String name, String unit, Map<String, String> dropIns, Path dir) throws IOException {
    String analyze = Shell.tool("systemd-analyze", "systemd");
    Path launcher = Shell.PROJECT.resolve("launcher/heady");
    assertTrue(unit.contains(LAUNCHER), "the unit runs " + LAUNCHER);
    // why: verify checks that ExecStart exists; point it at the launcher in the source tree.
    Path copy = dir.resolve(name);
    Files.writeString(copy, unit.replace(LAUNCHER, launcher.toString()));
    // why: verify reads drop-ins from <unit>.d/ beside the unit file it is given
    for (Map.Entry<String, String> d : dropIns.entrySet()) {
      Path dropIn = Files.createDirectories(dir.resolve(name + ".d")).resolve(d.getKey());
      Files.writeString(dropIn, d.getValue().replace(LAUNCHER, launcher.toString()));
    }
    Shell.Result r = Shell.run(Duration.ofSeconds(60), Map.of("SYSTEMD_LOG_COLOR", "0"), analyze, "verify",
        copy.toString());
    assertNotEquals(124, r.exit());
    return r;
  }

  static Map<String, String> settings(String unit) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : unit.split("\n")) {
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && eq > 0) {
        m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return m;
  }
}
