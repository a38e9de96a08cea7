package io.heady.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.config.Config;
import io.heady.common.config.ConfigException;
import io.heady.common.config.ConfigLoader;
import io.heady.common.config.Keys;
import io.heady.agent.identity.NodeIdentity;
import io.heady.common.tls.ClientTls;
import io.heady.e2e.Poll;
import io.heady.manager.ManagerMain;
import io.heady.manager.api.InstallRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The agent installer as the manager serves it, run with {@code --dry-run --root <tmp>} against a real manager:
 * the files, their modes, the env file, the unit, the upgrade and the uninstall.
 *
 * <p>why: an in-process manager rather than the e2e Cluster fixture: surefire runs before the shaded jar
 * exists ({@code mvn clean verify}), so this manager runs from target/classes, cannot serve a jar, and the
 * script gets {@code --jar}. InstallIT covers the jar download, its checksum and a real agent start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstallScriptTest {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final String FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01"
      + ":23:45:67:89";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ManagerMain.Running manager;
  private String url;
  private String join;
  private String admin;
  private Path work;
  private Path jar;

  @BeforeAll
  void startManager() throws Exception {
    Path target = Files.createDirectories(Shell.PROJECT.resolve("target/install-tests"));
    work = Files.createTempDirectory(target, "install-");
    Config cfg = new ConfigLoader(Map.of(), new String[] {"--role=manager", "--port=0", "--host=127.0.0.1",
        "--data-dir=" + work.resolve("manager"), "--cluster-host=127.0.0.1", "--cluster-port=" + freePort(),
        "--cluster-name=install-" + UUID.randomUUID().toString().substring(0, 8), "--local-executor=false"})
        .load();
    manager = ManagerMain.start(cfg);
    url = "http://127.0.0.1:" + manager.port();
    join = manager.tokens().join();
    admin = manager.tokens().admin();
    jar = Files.write(work.resolve("heady.jar"), "PK pretend this is heady.jar".getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  void stopManager() {
    if (manager != null) {
      manager.stop().toCompletionStage().toCompletableFuture().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
          .exceptionally(e -> null).join();
    }
  }

  // ---- the served script ---------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({"/install/agent.sh, bin/install-agent.sh, text/x-shellscript",
      "/install/heady.py, clients/python/heady.py, text/x-python"})
  void aServedFileKnowsTheManagerCarriesItsChecksumAndNoToken(String path, String source, String type)
      throws Exception {
    HttpResponse<byte[]> r = get(path);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(type));
    assertEquals(InstallRoutes.sha256Hex(r.body()), r.headers().firstValue("X-Checksum-Sha256").orElse(""));
    String served = new String(r.body(), StandardCharsets.UTF_8);
    assertTrue(served.contains("\nSERVED_MANAGER_URL='" + url + "'\n"), "the URL line");
    assertEquals(InstallRoutes.personalize(Files.readString(Shell.PROJECT.resolve(source)), url), served,
        "the served file is " + source + " with the URL filled in");
    assertFalse(served.contains(join) || served.contains(admin), "no token in it");
  }

  @Test
  void launcherAndUnitFilesAreServedOpenlyWithChecksums() throws Exception {
    for (String f : InstallRoutes.LAUNCHER_FILES) {
      servedEquals("/install/launcher/" + f, Shell.PROJECT.resolve("launcher").resolve(f));
    }
    for (String f : InstallRoutes.UNIT_FILES) {
      servedEquals("/install/systemd/" + f, Shell.PROJECT.resolve("systemd").resolve(f));
    }
    HttpResponse<byte[]> unknown = get("/install/launcher/..%2f..%2fpom.xml");
    assertEquals(404, unknown.statusCode());
    assertTrue(new String(unknown.body(), StandardCharsets.UTF_8).contains("\"code\":\"NOT_FOUND\""));
  }

  @Test
  void aManagerNotRunningFromAJarSaysSo() throws Exception {
    HttpResponse<byte[]> r = get("/install/heady.jar");
    assertEquals(404, r.statusCode());
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertTrue(body.contains("\"code\":\"NOT_FOUND\"") && body.contains("java -jar heady.jar"), body);
  }

  @Test
  void aHostileHostHeaderGetsNoScript() throws Exception {
    try (Socket s = new Socket("127.0.0.1", manager.port())) {
      OutputStream out = s.getOutputStream();
      out.write("GET /install/agent.sh HTTP/1.1\r\nHost: x';reboot;'\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
      assertFalse(answer.contains("reboot;'\n"), answer);
    }
  }

  // ---- an install under a throwaway root -------------------------------------------------------------------

  @Test
  void dryRunWritesEveryFileWithItsModeAndPrintsTheSystemCommands(@TempDir Path root) throws Exception {
    Shell.Result r = install(root, "--token-file", tokenFile().toString(), "--node-id", "box-1", "--name",
        "Test Box (x86)", "--label", "gpu=rtx3090", "--label", "site=home", "--transport", "http",
        "--tunnel-url", "https://box-1.example.org", "--max-concurrent", "3").ok();

    assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(root.resolve("opt/heady/heady.jar")));
    assertMode("rw-r--r--", root.resolve("opt/heady/heady.jar"));
    for (String f : InstallRoutes.LAUNCHER_FILES) {
      Path installed = root.resolve("opt/heady/launcher").resolve(f);
      assertEquals(Files.readString(Shell.PROJECT.resolve("launcher").resolve(f)), Files.readString(installed), f);
      assertMode(f.equals("heady") ? "rwxr-xr-x" : "rw-r--r--", installed);
    }
    assertEquals(Path.of("/opt/heady/launcher/heady"), Files.readSymbolicLink(root.resolve("usr/local/bin/heady")));
    assertMode("rwxr-x---", root.resolve("etc/heady"));
    assertMode("rwxr-x---", root.resolve("var/lib/heady"));
    // issue 16: the agent's data is its own (0700), the task user's home is empty and its own
    assertMode("rwx------", root.resolve("var/lib/heady-agent"));
    assertMode("rwx------", root.resolve("var/lib/heady-task"));
    assertEquals(List.of(), filesUnder(root.resolve("var/lib/heady-task")), "an empty home");
    assertFalse(Files.exists(root.resolve("etc/systemd/system/heady-agent.service.d/user.conf")),
        "by default the agent runs as root and its tasks as heady-task");

    Path envFile = root.resolve("etc/heady/agent.env");
    assertMode("rw-------", envFile);
    Map<String, String> env = readEnv(envFile);
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("HEADY_NODE_ID", "box-1");
    expected.put("HEADY_NODE_NAME", "Test Box (x86)");
    expected.put("HEADY_MANAGER_URL", url);
    expected.put("HEADY_MANAGER_FINGERPRINT", "");
    expected.put("HEADY_TRANSPORT", "http");
    expected.put("HEADY_TUNNEL_URL", "https://box-1.example.org");
    expected.put("HEADY_LABELS", "gpu=rtx3090,site=home");
    expected.put("HEADY_CLUSTER_HOST", "127.0.0.1");
    expected.put("HEADY_MAX_CONCURRENT", "3");
    expected.put("HEADY_PORT", "7700");
    expected.put("HEADY_DATA_DIR", "/var/lib/heady-agent");
    expected.put("HEADY_CONF_DIR", "/etc/heady");
    assertEquals(expected, env, "no join token in the env file");

    // heady itself accepts every value the installer wrote.
    Config agent = new ConfigLoader(env, new String[] {"--role=agent"}).load();
    assertEquals(List.of("gpu=rtx3090", "site=home"), agent.list(Keys.LABEL));
    assertEquals(3, agent.integer(Keys.MAX_CONCURRENT));

    assertEquals(Files.readString(Shell.PROJECT.resolve("systemd/heady-agent.service")),
        Files.readString(root.resolve("etc/systemd/system/heady-agent.service")));
    assertMode("rw-r--r--", root.resolve("etc/systemd/system/heady-agent.service"));

    // The join token, until the node has enrolled: root's alone, handed to the service by systemd.
    Path token = root.resolve("etc/heady/join.token");
    assertMode("rw-------", token);
    assertEquals(join, Files.readString(token).trim());
    Path dropIn = root.resolve("etc/systemd/system/heady-agent.service.d/enroll.conf");
    assertMode("rw-r--r--", dropIn);
    Map<String, String> unit = SystemdUnitTest.settings(Files.readString(dropIn));
    assertEquals("join-token:/etc/heady/join.token", unit.get("LoadCredential"));
    assertEquals("/opt/heady/launcher/heady agent --token-file=${CREDENTIALS_DIRECTORY}/join-token",
        unit.get("ExecStart"));

    String out = r.output();
    assertTrue(out.contains("[dry-run] useradd --system --user-group --home-dir /var/lib/heady "), out);
    assertTrue(out.contains("[dry-run] useradd --system --user-group --home-dir /var/lib/heady-task --no-create-home"
        + " --shell "), out);
    assertTrue(out.contains(" --comment 'heady tasks' heady-task\n"), out);
    assertTrue(out.contains("+ mkdir -m 0700 /var/lib/heady-agent (root:root)"), out);
    assertTrue(out.contains("+ mkdir -m 0700 /var/lib/heady-task (heady-task:heady-task)"), out);
    assertTrue(out.contains("[dry-run] systemctl daemon-reload"), out);
    assertTrue(out.contains("[dry-run] systemctl enable heady-agent.service"), out);
    assertFalse(out.contains("systemctl restart"), "--no-start");
    assertTrue(out.contains("cluster 'install-"), "names the manager's cluster:\n" + out);
    assertTrue(out.contains("the join token stays in /etc/heady/join.token until the node has enrolled"), out);
    assertNoToken(root, out);
  }

  @Test
  void theUnitWithTheEnrollmentDropInVerifiesWithoutAWarning(@TempDir Path root, @TempDir Path dir)
      throws Exception {
    install(root, "--token-file", tokenFile().toString()).ok();
    Shell.Result r = SystemdUnitTest.verify("heady-agent.service",
        Files.readString(root.resolve("etc/systemd/system/heady-agent.service")),
        Map.of("enroll.conf", Files.readString(root.resolve("etc/systemd/system/heady-agent.service.d/enroll.conf"))),
        dir);
    assertEquals(0, r.exit(), r.output());
    assertEquals("", r.output().strip(), "systemd-analyze verify must print nothing (warnings included)");
  }

  @Test
  void aTokenGivenByFileIsOnNoCommandLineTheInstallerStarts(@TempDir Path root) throws Exception {
    String strace = Shell.tool("strace", "strace");
    // why: strace needs ptrace; a sandbox that forbids it cannot run this check (the test says so, not passes)
    Assumptions.assumeTrue(Shell.run(Duration.ofSeconds(20), Map.of(), strace, "-f", "-qq", "-o", "/dev/null",
        "true").exit() == 0, "strace cannot trace here (ptrace not permitted)");
    Path trace = Files.createTempFile(work, "execve-", ".log");
    Path script = servedScript(root);
    Shell.Result r = Shell.run(LIMIT, Map.of(), strace, "-f", "-qq", "-e", "trace=execve", "-s", "4096", "-o",
        trace.toString(), "sh", script.toString(), "--dry-run", "--root", root.toString(), "--no-start", "--jar",
        jar.toString(), "--wait", "10", "--token-file", tokenFile().toString(), "--node-id", "traced").ok();
    List<String> execs = Files.readAllLines(trace).stream().filter(l -> l.contains("execve(")).toList();
    assertTrue(execs.stream().anyMatch(l -> l.contains("\"curl\"")), "the trace saw the installer's curl:\n"
        + String.join("\n", execs));
    assertTrue(execs.size() > 20, "the trace saw every command: " + execs.size());
    for (String l : execs) {
      assertFalse(l.contains(join), "the join token on a command line: " + l);
    }
    assertNoToken(root, r.output());
    assertEquals(join, Files.readString(root.resolve("etc/heady/join.token")).trim());
  }

  @Test
  void aTokenOnTheCommandLineStillWorksButIsWarnedAbout(@TempDir Path root) throws Exception {
    Shell.Result r = install(root, "--token", join).ok();
    assertTrue(r.output().contains("warning: --token puts the join token on this installer's command line, where"
        + " every local user can read it (ps)"), r.output());
    assertEquals(join, Files.readString(root.resolve("etc/heady/join.token")).trim());
    assertFalse(Files.readString(root.resolve("etc/heady/agent.env")).contains(join));
  }

  @Test
  void withoutATokenFileItAsksOnTheTerminalWithoutEcho(@TempDir Path root) throws Exception {
    String script = Shell.tool("script", "util-linux");
    Path installer = servedScript(root);
    // why: script(1) gives the installer a terminal of its own, as `curl ... | sudo sh` has in a person's shell
    String command = "sh " + installer + " --dry-run --root " + root + " --no-start --jar " + jar
        + " --wait 10 --node-id asked";
    Process p = new ProcessBuilder(script, "-qec", command, "/dev/null").redirectErrorStream(true).start();
    StringBuffer seen = new StringBuffer();
    Thread reader = new Thread(() -> {
      try (InputStream in = p.getInputStream()) {
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
          seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        seen.append("\n(read failed: ").append(e.getMessage()).append(')');
      }
    }, "installer-output");
    reader.start();
    try {
      Poll.until("the installer asks for the token", LIMIT, () -> {
        if (!p.isAlive()) {
          throw new AssertionError("the installer ended without asking:\n" + seen);
        }
        return seen.indexOf("not shown as you type") >= 0;
      });
      // why: typed only once asked: the terminal echoes what arrives before echo is turned off
      p.getOutputStream().write((join + "\n").getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().flush();
      assertTrue(p.waitFor(LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "installer finished");
      reader.join(10_000);
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), seen.toString());
    assertFalse(seen.toString().contains(join), "the typed token was echoed:\n" + seen);
    assertEquals(join, Files.readString(root.resolve("etc/heady/join.token")).trim());
    assertTrue(seen.toString().contains("the join token is valid"), seen.toString());
  }

  @Test
  void reRunningUpgradesInPlaceAndKeepsTheNodeIdAndSettings(@TempDir Path root) throws Exception {
    install(root, "--token-file", tokenFile().toString(), "--label", "site=home").ok();
    Path envFile = root.resolve("etc/heady/agent.env");
    Map<String, String> first = readEnv(envFile);
    String id = first.get("HEADY_NODE_ID");
    assertTrue(id.matches("[A-Za-z0-9._-]{1,64}"), id);
    Files.writeString(envFile, "HEADY_LOG_LEVEL=\"debug\"\n", java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(root.resolve("opt/heady/heady.jar"), "the old jar");

    // Not enrolled yet (the service never started): the token kept by the first run is used again.
    Shell.Result again = install(root, "--name", "Renamed").ok();
    assertTrue(again.output().contains("upgrading in place"), again.output());
    assertTrue(again.output().contains("the join token is valid"), again.output());
    Map<String, String> second = readEnv(envFile);
    assertEquals(id, second.get("HEADY_NODE_ID"), "the node keeps its id");
    assertEquals("Renamed", second.get("HEADY_NODE_NAME"));
    assertEquals("site=home", second.get("HEADY_LABELS"));
    assertEquals("debug", second.get("HEADY_LOG_LEVEL"), "lines the operator added are kept");
    assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(root.resolve("opt/heady/heady.jar")),
        "the jar is replaced");
    assertMode("rw-------", envFile);
    assertEquals(join, Files.readString(root.resolve("etc/heady/join.token")).trim());
  }

  @Test
  void theSeedsEnvironmentNamesTheNodeAndAFlagStillWins(@TempDir Path root) throws Exception {
    Map<String, String> seed = Map.of("HEADY_NODE_ID", "ryzen9-mini", "HEADY_NODE_NAME", "Ryzen 9 Powerhouse",
        "HEADY_TUNNEL_URL", "https://ryzen9.example.org");
    install(root, seed, "--token-file", tokenFile().toString(), "--transport", "http").ok();
    Path envFile = root.resolve("etc/heady/agent.env");
    Map<String, String> env = readEnv(envFile);
    assertEquals("ryzen9-mini", env.get("HEADY_NODE_ID"));
    assertEquals("Ryzen 9 Powerhouse", env.get("HEADY_NODE_NAME"));
    assertEquals("https://ryzen9.example.org", env.get("HEADY_TUNNEL_URL"));
    // The agent reads the same names from the env file its service loads.
    Config agent = new ConfigLoader(env, new String[] {"--role=agent"}).load();
    assertEquals("ryzen9-mini", agent.string(Keys.NODE_ID));
    assertEquals("Ryzen 9 Powerhouse", agent.string(Keys.NAME));
    assertEquals("https://ryzen9.example.org", agent.string(Keys.TUNNEL_URL));

    // A re-run: a flag wins over the environment; a value in neither is kept; a set, empty HEADY_TUNNEL_URL clears.
    install(root, Map.of("HEADY_NODE_NAME", "Backup Compute Node", "HEADY_TUNNEL_URL", ""), "--name", "Laptop")
        .ok();
    Map<String, String> again = readEnv(envFile);
    assertEquals("ryzen9-mini", again.get("HEADY_NODE_ID"), "kept");
    assertEquals("Laptop", again.get("HEADY_NODE_NAME"), "the flag wins");
    assertEquals("", again.get("HEADY_TUNNEL_URL"), "cleared");

    install(root, Map.of("HEADY_NODE_NAME", "Backup Compute Node")).ok();
    assertEquals("Backup Compute Node", readEnv(envFile).get("HEADY_NODE_NAME"), "the environment beats the kept");

    Shell.Result bad = install(root, Map.of("HEADY_NODE_ID", "no spaces allowed"));
    bad.failed();
    assertTrue(bad.output().contains("--node-id (from env HEADY_NODE_ID)"), bad.output());
  }

  @Test
  void aReRunOnAnEnrolledNodeNeedsNoTokenAndDropsALeftOverOne(@TempDir Path root) throws Exception {
    install(root, "--token-file", tokenFile().toString(), "--node-id", "enrolled-1").ok();
    assertTrue(Files.exists(root.resolve("etc/heady/join.token")));
    // The node enrolls for real, as its agent would, into the installed data dir.
    NodeIdentity id = NodeIdentity.ensure(root.resolve("var/lib/heady-agent"), "enrolled-1", "enrolled-1", url,
        () -> join, ClientTls.DEFAULT, () -> false, Clock.systemUTC());
    assertEquals("enrolled-1", id.nodeId());

    Shell.Result r = install(root).ok();
    assertTrue(r.output().contains("node enrolled-1 is enrolled (it holds its own credential): no join token needed"),
        r.output());
    assertFalse(Files.exists(root.resolve("etc/heady/join.token")), "the left-over token is deleted");
    assertFalse(Files.exists(root.resolve("etc/systemd/system/heady-agent.service.d/enroll.conf")));
    assertTrue(r.output().contains("[dry-run] systemctl daemon-reload"), r.output());
    assertNoToken(root, r.output());
  }

  @Test
  void anUpgradeMovesTheDataOfAnInstallFromBeforeTheTaskUserAndTheNodeKeepsItsCredential(@TempDir Path root)
      throws Exception {
    // An install from before issue 16: the agent's data in /var/lib/heady/agent, the node enrolled there.
    Files.createDirectories(root.resolve("etc/heady"));
    Files.writeString(root.resolve("etc/heady/agent.env"), "HEADY_NODE_ID=\"moved-1\"\nHEADY_MANAGER_URL=\"" + url
        + "\"\nHEADY_DATA_DIR=\"/var/lib/heady/agent\"\n");
    NodeIdentity.ensure(root.resolve("var/lib/heady/agent"), "moved-1", "moved-1", url, () -> join, ClientTls.DEFAULT,
        () -> false, Clock.systemUTC());
    Files.writeString(Files.createDirectories(root.resolve("var/lib/heady/agent/logs")).resolve("t1.log"), "out\n");

    Shell.Result r = install(root).ok();
    assertTrue(r.output().contains("node moved-1 is enrolled (it holds its own credential): no join token needed"),
        r.output());
    assertTrue(r.output().indexOf("[dry-run] systemctl stop heady-agent.service") < r.output().indexOf(
        "+ mv /var/lib/heady/agent /var/lib/heady-agent") && r.output().contains("[dry-run] systemctl stop"),
        "the old agent stops before its data moves:\n" + r.output());
    assertTrue(r.output().contains("[dry-run] chown -R root:root /var/lib/heady-agent"), r.output());
    assertFalse(Files.exists(root.resolve("var/lib/heady/agent")));
    assertTrue(Files.isRegularFile(root.resolve("var/lib/heady-agent/identity/moved-1/key.pem")));
    assertEquals("out\n", Files.readString(root.resolve("var/lib/heady-agent/logs/t1.log")));
    assertMode("rwx------", root.resolve("var/lib/heady-agent"));
    assertEquals("/var/lib/heady-agent", readEnv(root.resolve("etc/heady/agent.env")).get("HEADY_DATA_DIR"));
    assertNoToken(root, r.output());
  }

  @Test
  void asHeadyTheAgentGetsADropInThatVerifiesAndNoTaskUserAndAReRunKeepsIt(@TempDir Path root, @TempDir Path dir)
      throws Exception {
    Shell.Result r = install(root, "--token-file", tokenFile().toString(), "--agent-user", "heady").ok();
    Path dropIn = root.resolve("etc/systemd/system/heady-agent.service.d/user.conf");
    Map<String, String> unit = SystemdUnitTest.settings(Files.readString(dropIn));
    assertEquals("heady", unit.get("User"));
    assertEquals("heady", unit.get("Group"));
    assertEquals("/var/lib/heady", unit.get("WorkingDirectory"));
    assertFalse(r.output().contains("heady-task"), "no task user: a heady agent cannot switch users\n"
        + r.output());
    assertTrue(r.output().contains("+ mkdir -m 0700 /var/lib/heady-agent (heady:heady)"), r.output());
    Shell.Result verified = SystemdUnitTest.verify("heady-agent.service",
        Files.readString(root.resolve("etc/systemd/system/heady-agent.service")),
        Map.of("user.conf", Files.readString(dropIn), "enroll.conf", Files.readString(root.resolve(
            "etc/systemd/system/heady-agent.service.d/enroll.conf"))), dir);
    assertEquals("", verified.output().strip(), "systemd-analyze verify must print nothing (warnings included)");

    install(root).ok();
    assertTrue(Files.exists(dropIn), "a re-run keeps the choice");
    Shell.Result back = install(root, "--agent-user", "root").ok();
    assertFalse(Files.exists(dropIn), "--agent-user root removes it");
    assertTrue(back.output().contains("useradd --system --user-group --home-dir /var/lib/heady-task"), back.output());
  }

  @Test
  void onMacOsTheAgentRunsAsHeadyWithoutATaskUser(@TempDir Path root, @TempDir Path bin) throws Exception {
    // why: uname is how the installer tells macOS; these answer as a Mac would, so its launchd path runs here
    Files.writeString(bin.resolve("uname"), "#!/bin/sh\ncase \"$1\" in -s) echo Darwin ;; -m) echo arm64 ;;"
        + " *) echo mac-mini ;; esac\n");
    Files.writeString(bin.resolve("sw_vers"), "#!/bin/sh\necho 14.5\n");
    for (String f : List.of("uname", "sw_vers")) {
      Files.setPosixFilePermissions(bin.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Shell.Result r = install(root, Map.of("PATH", bin + ":" + System.getenv("PATH")), "--token-file",
        tokenFile().toString(), "--agent-user", "root").ok();
    String out = r.output();
    assertTrue(out.contains("macOS 14.5"), out);
    assertTrue(out.contains("macOS: the agent runs as heady and its tasks run as heady too"), out);
    assertFalse(out.contains("heady-task"), "no task user on macOS:\n" + out);
    assertTrue(out.contains("[dry-run] dscl . -create /Users/heady UniqueID"), out);
    String plist = Files.readString(root.resolve("Library/LaunchDaemons/io.heady.agent.plist"));
    assertTrue(plist.contains("<key>UserName</key><string>heady</string>"), plist);
    assertMode("rwx------", root.resolve("var/lib/heady-agent"));
    assertEquals("/var/lib/heady-agent", readEnv(root.resolve("etc/heady/agent.env")).get("HEADY_DATA_DIR"));
    assertFalse(Files.exists(root.resolve("var/lib/heady-task")));
    assertFalse(Files.exists(root.resolve("etc/systemd")), "no systemd unit on a Mac");
  }

  @Test
  void anOldInstallsTokenMovesOutOfTheEnvFile(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("etc/heady"));
    Files.writeString(root.resolve("etc/heady/agent.env"), "HEADY_NODE_ID=\"old-1\"\nHEADY_MANAGER_URL=\"" + url
        + "\"\nHEADY_TOKEN=\"" + join + "\"\nHEADY_LOG_LEVEL=\"info\"\n");
    Shell.Result r = install(root).ok();
    assertTrue(r.output().contains("moving the join token out of /etc/heady/agent.env"), r.output());
    Map<String, String> env = readEnv(root.resolve("etc/heady/agent.env"));
    assertFalse(env.containsKey("HEADY_TOKEN"), env.toString());
    assertEquals("info", env.get("HEADY_LOG_LEVEL"));
    assertEquals(join, Files.readString(root.resolve("etc/heady/join.token")).trim());
  }

  @Test
  void aStatusFromBeforeTheRestartDoesNotCountAsActive(@TempDir Path root) throws Exception {
    // What the agent of an earlier install left: it said active, but that was before this run restarted it.
    Path status = Files.createDirectories(root.resolve("var/lib/heady-agent")).resolve("agent-status.json");
    Files.writeString(status, "{\n  \"node_id\" : \"stale-1\",\n  \"registered\" : true,\n  \"status\" : \"active\","
        + "\n  \"tier\" : \"LIGHT\"\n}");
    Files.setLastModifiedTime(status, java.nio.file.attribute.FileTime.from(java.time.Instant.now()
        .minusSeconds(3600)));
    Path script = servedScript(root);
    Shell.Result r = Shell.run(LIMIT, Map.of(), "sh", script.toString(), "--dry-run", "--root", root.toString(),
        "--jar", jar.toString(), "--wait", "3", "--token-file", tokenFile().toString(), "--node-id", "stale-1")
        .failed();
    assertTrue(r.output().contains("[dry-run] systemctl restart heady-agent.service"), r.output());
    assertTrue(r.output().contains("node stale-1 was not active after 3 s"), r.output());
    assertTrue(Files.exists(root.resolve("etc/heady/join.token")), "kept: the node has not enrolled");
  }

  @Test
  void anAgentThatCannotEnrollStopsTheWaitWithItsReason(@TempDir Path root) throws Exception {
    Path script = servedScript(root);
    Path log = Files.createTempFile(work, "installer-", ".log");
    Process p = new ProcessBuilder("sh", script.toString(), "--dry-run", "--root", root.toString(), "--jar",
        jar.toString(), "--wait", "60", "--token-file", tokenFile().toString(), "--node-id", "refused-1")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Poll.until("the installer waits for the node", LIMIT, () -> {
        String out = read(log);
        if (!p.isAlive()) {
          throw new AssertionError("the installer ended first:\n" + out);
        }
        return out.contains("==> Waiting up to 60 s for node refused-1 to become active");
      });
      // The node's agent, enrolling with a token that is not the join token: it says why in its status file.
      Path data = root.resolve("var/lib/heady-agent");
      ConfigException refused = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () ->
          NodeIdentity.ensure(data, "refused-1", "refused-1", url, () -> "hj_not-the-join-token-0000000",
              ClientTls.DEFAULT, () -> false, Clock.systemUTC()));
      String status = Files.readString(data.resolve(NodeIdentity.STATUS_FILE));
      assertTrue(status.contains("\"status\" : \"enroll_refused\""), status);
      assertTrue(p.waitFor(LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "installer finished");
      assertNotEquals(0, p.exitValue());
      assertTrue(read(log).contains("node refused-1 could not enroll: " + refused.getMessage()), read(log));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void anAgentWithoutAJoinTokenSaysSoInItsStatusFile(@TempDir Path data) throws Exception {
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () ->
        NodeIdentity.ensure(data, "tokenless-1", "tokenless-1", url, () -> null, ClientTls.DEFAULT, () -> false,
            Clock.systemUTC()));
    assertTrue(e.getMessage().contains("--token-file"), e.getMessage());
    io.vertx.core.json.JsonObject status = new io.vertx.core.json.JsonObject(
        Files.readString(data.resolve(NodeIdentity.STATUS_FILE)));
    assertEquals("needs_join_token", status.getString("status"));
    assertEquals(false, status.getBoolean("registered"));
    assertEquals(e.getMessage(), status.getString("message"));
  }

  @Test
  void uninstallRemovesEverythingItAdded(@TempDir Path root) throws Exception {
    install(root, "--token-file", tokenFile().toString()).ok();
    assertTrue(Files.exists(root.resolve("etc/heady/join.token")));
    Shell.Result r = Shell.run(LIMIT, Map.of(), "sh", "bin/install-agent.sh", "--uninstall", "--dry-run", "--root",
        root.toString()).ok();
    assertEquals(List.of(), filesUnder(root), "left behind");
    assertTrue(r.output().contains("[dry-run] systemctl disable --now heady-agent.service"), r.output());
    assertTrue(r.output().lines().anyMatch(l -> l.endsWith("[dry-run] userdel heady")), r.output());
    assertTrue(r.output().contains("[dry-run] userdel heady-task"), r.output());
    assertTrue(r.output().contains("heady nodes revoke"), r.output());

    install(root, "--token-file", tokenFile().toString()).ok();
    Shell.Result keep = Shell.run(LIMIT, Map.of(), "sh", "bin/install-agent.sh", "--uninstall", "--keep-user",
        "--dry-run", "--root", root.toString()).ok();
    assertFalse(keep.output().contains("userdel"), keep.output());
    assertEquals(List.of(), filesUnder(root));
  }

  @Test
  void uninstallKeepsWhatTheManagerOnTheSameMachineNeeds(@TempDir Path root) throws Exception {
    install(root, "--token-file", tokenFile().toString()).ok();
    Files.writeString(root.resolve("etc/heady/manager.env"), "HEADY_PORT=\"7070\"\n");
    Shell.Result r = Shell.run(LIMIT, Map.of(), "sh", "bin/install-agent.sh", "--uninstall", "--dry-run", "--root",
        root.toString()).ok();
    assertFalse(Files.exists(root.resolve("etc/heady/agent.env")));
    assertFalse(Files.exists(root.resolve("etc/heady/join.token")));
    assertFalse(Files.exists(root.resolve("etc/systemd/system/heady-agent.service")));
    assertTrue(Files.exists(root.resolve("opt/heady/heady.jar")));
    assertFalse(r.output().lines().anyMatch(l -> l.endsWith("userdel heady")), "the manager's user stays\n"
        + r.output());
    assertTrue(r.output().contains("[dry-run] userdel heady-task"), "only the agent's tasks used it\n" + r.output());
  }

  @Test
  void aWrongTokenStopsBeforeAnythingIsWritten(@TempDir Path root) throws Exception {
    Shell.Result wrong = install(root, "--token-file", tokenFile("hj_definitely-not-the-token").toString())
        .failed();
    assertTrue(wrong.output().contains("the manager refused the join token (401)"), wrong.output());
    Shell.Result adminToken = install(root, "--token-file", tokenFile(admin).toString()).failed();
    assertTrue(adminToken.output().contains("that is a person's token (403), not the join token"),
        adminToken.output());
    // why: in a session of its own the installer has no terminal to ask on, even when the tests run in one
    Path script = servedScript(root);
    Shell.Result missing = Shell.run(LIMIT, Map.of(), Shell.tool("setsid", "util-linux"), "sh", script.toString(),
        "--dry-run", "--root", root.toString(), "--no-start", "--jar", jar.toString(), "--wait", "10").failed();
    assertTrue(missing.output().contains("no join token: this node has not enrolled yet. Give it once with"
        + " --token-file FILE"), missing.output());
    Shell.Result noFile = install(root, "--token-file", work.resolve("nowhere.token").toString()).failed();
    assertTrue(noFile.output().contains("--token-file " + work.resolve("nowhere.token") + ": no such file"),
        noFile.output());
    Shell.Result empty = install(root, "--token-file", tokenFile("").toString()).failed();
    assertTrue(empty.output().contains(": empty; it should hold the join token"), empty.output());
    assertEquals(List.of(), filesUnder(root));
    assertFalse(wrong.output().contains("hj_definitely-not-the-token"), "the refused token is not echoed");
  }

  @Test
  void aRotatedJoinTokenIsRefusedBeforeAnythingIsWritten(@TempDir Path root) throws Exception {
    Path old = tokenFile();
    HttpResponse<String> rotated = http.send(HttpRequest.newBuilder(URI.create(url + "/api/cluster/tokens/rotate"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"join\"}")).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, rotated.statusCode(), rotated.body());
    String previous = join;
    join = new io.vertx.core.json.JsonObject(rotated.body()).getString("token");
    assertNotEquals(previous, join);

    Shell.Result r = install(root, "--token-file", old.toString()).failed();
    assertTrue(r.output().contains("the manager refused the join token (401): it is not this cluster's current join"
        + " token (a rotated one enrolls nothing)"), r.output());
    assertEquals(List.of(), filesUnder(root));
    install(root, "--token-file", tokenFile().toString()).ok();
  }

  @Test
  void anUnreachableManagerIsNamedWithinTheWait(@TempDir Path root) throws Exception {
    String nowhere = "http://127.0.0.1:" + freePort();
    Shell.Result r = Shell.run(LIMIT, Map.of(), "sh", "bin/install-agent.sh", "--dry-run", "--root", root.toString(),
        "--no-start", "--jar", jar.toString(), "--token-file", tokenFile().toString(), "--manager", nowhere,
        "--wait", "2").failed();
    assertTrue(r.output().contains("cannot reach the manager at " + nowhere), r.output());
    assertEquals(List.of(), filesUnder(root));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--label|x=$(touch /tmp/heady-pwned)", "--name|a\"b", "--node-id|../etc", "--transport|carrier-pigeon",
      "--manager|http://a:1/';id;'", "--tunnel-url|javascript:alert(1)", "--max-concurrent|-1",
      "--cluster-host|a b", "--manager-fingerprint|AB:CD", "--manager-fingerprint|" + FP, "--agent-user|nobody",
      "--agent-user|root;id"})
  void valuesThatCouldBreakTheEnvFileAreRefused(String flag, String value, @TempDir Path root) throws Exception {
    Shell.Result r = install(root, "--token-file", tokenFile().toString(), flag, value).failed();
    assertTrue(r.output().contains(flag), r.output());
    assertEquals(List.of(), filesUnder(root));
  }

  @Test
  void aPlainDryRunWritesNothing(@TempDir Path root) throws Exception {
    // why: without --root a dry run must not touch this machine; /etc/heady is where it would write first.
    boolean before = Files.exists(Path.of("/etc/heady/agent.env"));
    boolean tokenBefore = Files.exists(Path.of("/etc/heady/join.token"));
    Path script = servedScript(root);
    Shell.Result r = Shell.run(LIMIT, Map.of(), "sh", script.toString(), "--dry-run", "--jar", jar.toString(),
        "--token-file", tokenFile().toString(), "--node-id", "dry").ok();
    assertEquals(before, Files.exists(Path.of("/etc/heady/agent.env")));
    assertEquals(tokenBefore, Files.exists(Path.of("/etc/heady/join.token")));
    assertTrue(r.output().contains("+ install -m 0600 /etc/heady/agent.env"), r.output());
    assertTrue(r.output().contains("+ install -m 0600 /etc/heady/join.token (root:root)"), r.output());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "debian|debian||apt-get install -y openjdk-17-jre-headless",
      "ubuntu|ubuntu|debian|apt-get install -y openjdk-17-jre-headless",
      "raspbian|raspbian|debian|apt-get install -y openjdk-17-jre-headless",
      "fedora|fedora||dnf install -y java-17-openjdk-headless",
      "arch|arch||pacman -S --noconfirm --needed jre17-openjdk-headless"})
  void withoutJavaItInstallsAHeadlessJreWithTheSystemPackageManager(String name, String id, String like,
      String command, @TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/os-release"), "PRETTY_NAME=\"" + name + " test\"\nID=" + id + "\n"
        + (like == null ? "" : "ID_LIKE=" + like + "\n"));
    Shell.Result r = install(root, Map.of("HEADY_JAVA", "/nonexistent/java"), "--token-file",
        tokenFile().toString()).ok();
    assertTrue(r.output().contains("[dry-run] " + command), r.output());
    assertTrue(r.output().contains(name + " test"), "names the detected OS");
  }

  @Test
  void anUnknownSystemWithoutJavaIsToldWhatToDo(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/os-release"), "PRETTY_NAME=\"Plan 9\"\nID=plan9\n");
    Shell.Result r = install(root, Map.of("HEADY_JAVA", "/nonexistent/java"), "--token-file",
        tokenFile().toString()).failed();
    assertTrue(r.output().contains("install Java 17+ yourself"), r.output());
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The current join token in a file of its own (0600), as a person copies it from the manager. */
  private Path tokenFile() throws IOException {
    return tokenFile(join);
  }

  private Path tokenFile(String content) throws IOException {
    Path f = Files.createTempFile(work, "join-", ".token", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(f, content + "\n");
  }

  /** The join token is in nothing the installer printed and in no file it wrote but the token file. */
  private void assertNoToken(Path root, String output) throws IOException {
    assertFalse(output.contains(join), "the join token in the installer's output:\n" + output);
    for (String f : filesUnder(root)) {
      Path p = root.resolve(f);
      if (f.equals("etc/heady/join.token") || Files.isSymbolicLink(p) || f.startsWith("opt/heady/heady.jar")
          || f.startsWith("var/lib/heady-agent/identity/") || f.startsWith("var/lib/heady/agent/identity/")) {
        continue;
      }
      assertFalse(Files.readString(p).contains(join), "the join token in " + f);
    }
  }

  /** Fetches the installer from the manager, as curl would, and runs it under {@code root}. */
  private Shell.Result install(Path root, String... args) throws Exception {
    return install(root, Map.of(), args);
  }

  private Shell.Result install(Path root, Map<String, String> env, String... args) throws Exception {
    Path script = servedScript(root);
    List<String> cmd = Shell.list("sh", script.toString(), "--dry-run", "--root", root.toString(), "--no-start",
        "--jar", jar.toString(), "--wait", "10");
    cmd.addAll(List.of(args));
    return Shell.run(LIMIT, env, cmd);
  }

  private Path servedScript(Path root) throws Exception {
    HttpResponse<byte[]> r = get("/install/agent.sh");
    assertEquals(200, r.statusCode());
    Path script = Files.createTempFile(work, "agent-", ".sh");
    Files.write(script, r.body());
    return script;
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private void servedEquals(String path, Path source) throws Exception {
    HttpResponse<byte[]> r = get(path);
    assertEquals(200, r.statusCode(), path);
    assertArrayEquals(Files.readAllBytes(source), r.body(), path);
    assertEquals(InstallRoutes.sha256Hex(r.body()), r.headers().firstValue("X-Checksum-Sha256").orElse(""), path);
  }

  /** KEY="value" lines; comments skipped; the installer always quotes. */
  static Map<String, String> readEnv(Path file) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      assertNotEquals(-1, eq, line);
      String v = line.substring(eq + 1);
      assertTrue(v.length() >= 2 && v.startsWith("\"") && v.endsWith("\""), "quoted: " + line);
      m.put(line.substring(0, eq), v.substring(1, v.length() - 1));
    }
    return m;
  }

  static void assertMode(String mode, Path p) throws IOException {
    assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
  }

  /** Regular files and links under {@code root} (empty folders do not count). */
  static List<String> filesUnder(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .map(p -> root.relativize(p).toString()).filter(p -> !p.equals("etc/os-release")).sorted().toList();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
