package app.getbodhi.session.webflux.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A Spring WebFlux application whose sessions live in bodhi-sessions: {@code session-spring} on the
 * classpath is all it takes (the store, the reactive session repository behind Spring Session's
 * {@code WebSessionManager} and Spring Security's reactive session registry are auto-configured).
 * Spring Security form login with three in-memory users; a visit counter in the session; "log out
 * everywhere"; a "your devices" page that revokes one session; {@code example.maximum-sessions} to
 * cap a user's sessions. No page blocks an event loop: the store's calls run on the auto-configured
 * {@code StoreScheduler}.
 *
 * <p>{@code java -jar session-webflux-example.jar} serves it on {@code http://127.0.0.1:8080}, its
 * sessions in the SQLite file {@code session.sqlite} beside the jar. Cluster mode on PostgreSQL:
 * {@code --bodhi.session.db-url=postgres://USER:PASSWORD@HOST:5432/DB
 * --bodhi.session.deployment=cluster --bodhi.session.secret-file=FILE}, the same secret on every
 * node, read from a file (made once with {@code openssl rand -base64 32}) rather than given on the
 * command line.
 */
@SpringBootApplication
@EnableConfigurationProperties(ExampleProperties.class)
public class WebFluxExampleApplication {

  /**
   * Starts the application.
   *
   * @param args Spring Boot's command line: {@code --name=value} sets a property
   */
  public static void main(String[] args) {
    SpringApplication.run(WebFluxExampleApplication.class, args);
  }
}
