package app.getbodhi.session.spring.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.runner.AbstractApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebSessionIdResolverAutoConfiguration;

/**
 * Boot's context runners as the auto-configuration tests start them: our auto-configuration beside
 * Boot's own, as in an application, each context on a SQLite file of its own (in a fresh folder, so
 * that a test can check the file was never created), the background cleaner off.
 */
final class SqliteContextRunners {

  private final Path dir;
  private Path file;

  /**
   * Runners whose files live under {@code dir}.
   *
   * @param dir the test's temporary folder
   */
  SqliteContextRunners(Path dir) {
    this.dir = dir;
  }

  /**
   * A servlet application with our and Boot's session auto-configuration, on a new file.
   *
   * @return the runner
   */
  WebApplicationContextRunner servlet() {
    return onNewFile(
        new WebApplicationContextRunner(),
        BodhiSessionAutoConfiguration.class,
        SessionAutoConfiguration.class);
  }

  /**
   * A WebFlux application with our reactive auto-configuration and Boot's session and WebFlux ones,
   * on a new file.
   *
   * @return the runner
   */
  ReactiveWebApplicationContextRunner reactive() {
    return onNewFile(
        new ReactiveWebApplicationContextRunner(),
        BodhiReactiveSessionAutoConfiguration.class,
        SessionAutoConfiguration.class,
        WebSessionIdResolverAutoConfiguration.class,
        WebFluxAutoConfiguration.class);
  }

  /**
   * The file the last runner was pointed at.
   *
   * @return the file; it exists once a context has opened the store on it
   */
  Path file() {
    return file;
  }

  private <R extends AbstractApplicationContextRunner<R, ?, ?>> R onNewFile(
      R runner, Class<?>... autoConfigurations) {
    try {
      file = Files.createTempDirectory(dir, "context-").resolve("sessions.sqlite");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return runner
        .withConfiguration(AutoConfigurations.of(autoConfigurations))
        .withPropertyValues(
            "bodhi.session.db-url=sqlite:" + file, "bodhi.session.cleanup-interval=0");
  }
}
