package app.getbodhi.session.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/ensure-chromium}, which {@code make test} runs first: with stand-ins for apt-get
 * and sudo (so that nothing is installed), it installs what is missing when it can and otherwise
 * stops with one message saying what to install.
 */
class EnsureChromiumScriptTest {

  private static final Path SCRIPT =
      Path.of("").toAbsolutePath().getParent().resolve("scripts/ensure-chromium");

  @TempDir Path dir;

  private Path chromium;
  private Path chromedriver;
  private Path log;
  private Path aptGet;

  private record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void standIns() throws IOException {
    chromium = dir.resolve("bin/chromium");
    chromedriver = dir.resolve("bin/chromedriver");
    Files.createDirectories(chromium.getParent());
    log = dir.resolve("calls.log");
    // records each call and the frontend it was given; "install" puts the two programs in place
    aptGet =
        executable(
            "apt-get",
            "echo \"apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND\" >> '"
                + log
                + "'\n"
                + "if [ \"$1\" = install ]; then\n"
                + "  printf '#!/bin/sh\\n' > '"
                + chromium
                + "'; chmod +x '"
                + chromium
                + "'\n"
                + "  printf '#!/bin/sh\\n' > '"
                + chromedriver
                + "'; chmod +x '"
                + chromedriver
                + "'\n"
                + "fi\n");
  }

  private Path executable(String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/usr/bin/env bash\n" + body);
    assertThat(file.toFile().setExecutable(true)).isTrue();
    return file;
  }

  private Result run(Map<String, String> environment) throws Exception {
    assertThat(SCRIPT).isExecutable();
    ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString());
    Map<String, String> env = builder.environment();
    env.put("CHROMIUM", chromium.toString());
    env.put("CHROMEDRIVER", chromedriver.toString());
    env.put("APT_GET", aptGet.toString());
    env.putAll(environment);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished in time").isTrue();
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private List<String> calls() throws IOException {
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  @Test
  void doesNothingWhenChromiumAndItsDriverArePresent() throws Exception {
    executable("bin/chromium", "");
    executable("bin/chromedriver", "");

    Result result = run(Map.of("EUID_OVERRIDE", "0"));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out() + result.err()).isEmpty();
    assertThat(calls()).isEmpty();
  }

  @Test
  void installsBothPackagesNoninteractivelyAsRoot() throws Exception {
    Result result = run(Map.of("EUID_OVERRIDE", "0"));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(calls())
        .containsExactly(
            "apt-get update -qq DEBIAN_FRONTEND=noninteractive",
            "apt-get install -y -qq chromium chromium-driver DEBIAN_FRONTEND=noninteractive");
    assertThat(chromium).isExecutable();
  }

  @Test
  void installsThroughPasswordlessSudoWhenNotRoot() throws Exception {
    // like sudo -n for a user who may: runs the command, never asks
    executable(
        "sudo",
        "echo \"sudo $*\" >> '" + log + "'\nif [ \"$1\" = -n ]; then shift; fi\nexec \"$@\"\n");
    Map<String, String> environment = new HashMap<>();
    environment.put("EUID_OVERRIDE", "1000");
    environment.put("SUDO", dir.resolve("sudo") + " -n");

    Result result = run(environment);

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(calls())
        .contains("sudo -n true")
        .contains("sudo -n " + aptGet + " install -y -qq chromium chromium-driver");
  }

  @Test
  void stopsWithOneMessageSayingWhatToInstallWhenItCannotBecomeRoot() throws Exception {
    Result result = run(Map.of("EUID_OVERRIDE", "1000", "SUDO", "false"));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .hasLineCount(1)
        .contains("make test needs Chromium and its driver for the browser test")
        .contains("this user is not root and has no passwordless sudo")
        .contains("sudo apt-get update && sudo apt-get install -y chromium chromium-driver");
    assertThat(calls()).isEmpty();
  }

  @Test
  void stopsWithOneMessageOnAMachineWithoutAptGet() throws Exception {
    Result result =
        run(Map.of("EUID_OVERRIDE", "0", "APT_GET", dir.resolve("no-such-apt-get").toString()));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).hasLineCount(1).contains("there is no apt-get on this machine");
  }

  @Test
  void stopsWithOneMessageWhenAptGetFails() throws Exception {
    aptGet = executable("failing-apt-get", "exit 100\n");

    Result result = run(Map.of("EUID_OVERRIDE", "0"));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().lines().reduce((first, second) -> second))
        .hasValueSatisfying(
            last -> assertThat(last).contains("cannot install them: apt-get failed"));
  }
}
