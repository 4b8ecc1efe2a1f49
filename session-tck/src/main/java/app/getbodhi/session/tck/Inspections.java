package app.getbodhi.session.tck;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.spi.SessionStoreProvider;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.assertj.core.api.AbstractStringAssert;

/** Checks of what a backend's {@code inspect} reports, shared by the backends' tests. */
public final class Inspections {

  private Inspections() {}

  /**
   * Checks that the inspection could not read the database and names exactly one problem.
   *
   * @param inspection what the provider reported
   * @return an assertion on that one problem's text, for the checks of what it says
   */
  public static AbstractStringAssert<?> assertUnreadable(StoreInspection inspection) {
    assertThat(inspection.database()).isEqualTo(Database.UNREADABLE);
    return assertThat(inspection.problems()).singleElement().asString();
  }

  /**
   * Inspects {@code scheme://bodhi:s3cret@127.0.0.1:PORT/sessions}, where nothing listens on the
   * port, and checks that the look gives up within {@code within} with one problem that shows the
   * URL redacted and never the password, and names no server.
   *
   * @param provider the backend's provider
   * @param scheme the URL scheme, such as {@code postgres}
   * @param within how long the look may take at most
   * @return an assertion on the problem's text, for the checks of what it says
   */
  public static AbstractStringAssert<?> assertUnreachable(
      SessionStoreProvider provider, String scheme, Duration within) {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long start = System.nanoTime();

    StoreInspection inspection =
        provider.inspect(scheme + "://bodhi:s3cret@127.0.0.1:" + closedPort + "/sessions");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(within);
    assertThat(inspection.server()).isEmpty();
    return assertUnreadable(inspection)
        .contains("bodhi:***@127.0.0.1:" + closedPort)
        .doesNotContain("s3cret");
  }
}
