package app.getbodhi.session.cli;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SettingService;
import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.spi.DatabaseUrls;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code serve}: the demo web application on an embedded Jetty, until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the demo web app until Ctrl-C.",
      "Log in, count visits, log out here or everywhere. Sessions live in the store the settings"
          + " (or --db-url) name; two servers on one PostgreSQL share them."
    })
final class ServeCommand extends StoreCommand {

  /** The port unless {@code --port} says otherwise. */
  static final int DEFAULT_PORT = 8080;

  /** The address unless {@code --host} says otherwise: this machine only. */
  static final String DEFAULT_HOST = "127.0.0.1";

  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "" + DEFAULT_PORT,
      converter = OptionValues.Port.class,
      description = "TCP port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  private int port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = DEFAULT_HOST,
      description = "Address to listen on; 0.0.0.0 for every interface. Default: ${DEFAULT-VALUE}.")
  private String host;

  @Option(
      names = "--secure-cookie",
      paramLabel = "BOOL",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Mark the session cookie Secure (sent over HTTPS only); --secure-cookie=false turns it"
              + " off. Default: "
              + SettingService.BODHI_SESSION_SECURE_COOKIE
              + ", else false.")
  private Boolean secureCookie;

  @Option(
      names = "--session-lifetime",
      paramLabel = "DURATION",
      converter = SessionLifetimeConverter.class,
      description =
          "How long a session lives after its last change, such as 30m, 12h or 14d (1m to"
              + " 365d). Default: "
              + SettingService.BODHI_SESSION_LIFETIME
              + ", else 14d.")
  private Duration sessionLifetime;

  ServeCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    SettingService settings = sessionOptions(settings());
    PrometheusMeterRegistry metrics = DemoServer.newMetrics();
    DefaultSessionService service = DemoServer.connect(settings, metrics);
    DemoServer server;
    try {
      server = DemoServer.start(service, metrics, host, port, DemoServer.STOP_TIMEOUT);
    } catch (IOException e) {
      service.close();
      // one line with the likely fix rather than Jetty's stack trace
      throw new CliException(
          "Could not listen on "
              + host
              + ":"
              + port
              + " ("
              + describe(rootCause(e))
              + "). "
              + hint(rootCause(e)));
    } catch (Exception e) {
      service.close();
      throw e;
    }
    // the server first, so that no request is left without its sessions
    Runnable stop =
        new Once(
            () -> {
              try {
                server.close();
              } finally {
                service.close();
                LOG.info("Stopped.");
              }
            });
    LOG.info("Serving the bodhi-sessions demo on {}", server.address());
    LOG.info(
        "Sessions are kept in {} at {} ({} mode)",
        service.backend().kind(),
        DatabaseUrls.redact(settings.sessionDbUrl()),
        settings.deploymentMode().settingValue());
    LOG.info(
        "Health: {}, metrics: {}",
        server.address().resolve("/healthz"),
        server.address().resolve("/metrics"));
    LOG.info("Press Ctrl-C to stop.");
    context().serveHooks().serving(server.address(), stop);
    try {
      server.join();
    } finally {
      stop.run();
    }
    return BodhiSessions.EXIT_OK;
  }

  /** The settings with the session options, when given, in place of their settings. */
  private SettingService sessionOptions(SettingService base) {
    return key -> {
      if (key.equals(SettingService.BODHI_SESSION_SECURE_COOKIE) && secureCookie != null) {
        return Optional.of(secureCookie.toString());
      }
      if (key.equals(SettingService.BODHI_SESSION_LIFETIME) && sessionLifetime != null) {
        return Optional.of(sessionLifetime.toString());
      }
      return base.getSetting(key);
    };
  }

  /** Reads {@code --session-lifetime} as the setting is read, naming the option when it refuses. */
  static final class SessionLifetimeConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return SettingService.parseSessionLifetime("--session-lifetime", value);
      } catch (SessionServiceException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String describe(Throwable cause) {
    if (cause instanceof UnresolvedAddressException) {
      return "unknown host";
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private static String hint(Throwable cause) {
    boolean portTaken =
        cause instanceof BindException
            && String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("in use");
    return portTaken
        ? "Another program is using the port; pick another with --port."
        : "Check --host: it must name an address of this machine, such as 127.0.0.1 or 0.0.0.0.";
  }

  /**
   * Runs an action the first time only: the shutdown hook and the returning command both stop the
   * demo, and the second caller waits until the first is done.
   */
  private static final class Once implements Runnable {
    private final Runnable action;
    private boolean done;

    Once(Runnable action) {
      this.action = action;
    }

    @Override
    public synchronized void run() {
      if (!done) {
        done = true;
        action.run();
      }
    }
  }
}
