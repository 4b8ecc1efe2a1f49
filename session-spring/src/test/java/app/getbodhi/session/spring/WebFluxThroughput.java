package app.getbodhi.session.spring;

import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.session.ReactiveMapSessionRepository;

/**
 * Requests per second through WebFlux with the store's reactive repository against the same
 * application on Spring Session's {@code ReactiveMapSessionRepository} (sessions in memory: the
 * ceiling), on SQLite and PostgreSQL, at 1 and 8 concurrent clients, each with a session of its
 * own. Read-only: {@code GET /read} reads an attribute; changing: {@code GET /public} increments
 * one. A measurement harness, not a test (no assertions, not run by the build):
 *
 * <pre>
 * ./mvnw -o -q test-compile -pl session-spring -am
 * ./mvnw -o -q exec:java -pl session-spring -Dexec.classpathScope=test \
 *   -Dexec.mainClass=app.getbodhi.session.spring.WebFluxThroughput -Dexec.args="10 5"
 * </pre>
 *
 * The arguments are the seconds measured and the seconds of warm-up per case. Clients and server
 * share the machine, so the absolute figures are the machine's; the ratio to the in-memory ceiling
 * is the figure to compare.
 */
public final class WebFluxThroughput {

  private WebFluxThroughput() {}

  /** One server under test: its name and its context. */
  record Server(String name, ConfigurableApplicationContext context, int port) {}

  public static void main(String[] args) throws Exception {
    Duration measure = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
    Duration warmUp = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5);
    List<TestDatabase> databases = new ArrayList<>();
    Map<String, Map<String, Double>> results = new LinkedHashMap<>();
    try {
      SqliteFixture sqlite = SqliteFixture.tempFile();
      databases.add(sqlite);
      TestDatabase postgres = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema();
      databases.add(postgres);
      for (String backend : List.of("memory", "sqlite", "postgres")) {
        String url = backend.equals("postgres") ? postgres.url() : sqlite.url();
        Server server = start(backend, url);
        try {
          for (String path : List.of("/read", "/public")) {
            for (int clients : List.of(1, 8)) {
              run(server.port(), path, clients, warmUp);
              double rate = run(server.port(), path, clients, measure);
              results
                  .computeIfAbsent(path + " x" + clients, k -> new LinkedHashMap<>())
                  .put(backend, rate);
              System.out.printf(
                  "%-8s %-8s %d clients: %,.0f req/s%n", backend, path, clients, rate);
            }
          }
        } finally {
          server.context().close();
        }
      }
    } finally {
      databases.forEach(TestDatabase::close);
    }
    System.out.println();
    System.out.println("| case | memory req/s | sqlite req/s (ratio) | postgres req/s (ratio) |");
    System.out.println("|---|---|---|---|");
    results.forEach(
        (name, rates) -> {
          double ceiling = rates.get("memory");
          System.out.printf(
              "| %s | %,.0f | %,.0f (%.2f) | %,.0f (%.2f) |%n",
              name,
              ceiling,
              rates.get("sqlite"),
              rates.get("sqlite") / ceiling,
              rates.get("postgres"),
              rates.get("postgres") / ceiling);
        });
  }

  private static Server start(String backend, String url) {
    SpringApplicationBuilder builder =
        new SpringApplicationBuilder(WebFluxHttpTest.App.class)
            .properties(
                "spring.main.web-application-type=reactive",
                "server.port=0",
                "bodhi.session.db-url=" + url,
                "bodhi.session.cleanup-interval=0",
                "logging.level.root=WARN");
    if (backend.equals("memory")) {
      builder.initializers(
          context ->
              context
                  .getBeanFactory()
                  .registerSingleton(
                      "reactiveSessionRepository",
                      new ReactiveMapSessionRepository(new ConcurrentHashMap<>())));
    }
    ConfigurableApplicationContext context = builder.run();
    int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    return new Server(backend, context, port);
  }

  /** Runs {@code clients} loops of requests, each with its own session, for a while. */
  private static double run(int port, String path, int clients, Duration duration)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + port + path);
    List<String> cookies = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      HttpResponse<String> first =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/public")).build(),
              HttpResponse.BodyHandlers.ofString());
      cookies.add(first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0]);
    }
    LongAdder done = new LongAdder();
    CountDownLatch finished = new CountDownLatch(clients);
    long end = System.nanoTime() + duration.toNanos();
    long start = System.nanoTime();
    for (String cookie : cookies) {
      HttpRequest request = HttpRequest.newBuilder(uri).header("Cookie", cookie).build();
      Thread client =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    HttpResponse<Void> response =
                        http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() != 200) {
                      throw new IllegalStateException("status " + response.statusCode());
                    }
                    done.increment();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                } finally {
                  finished.countDown();
                }
              },
              "client");
      client.start();
    }
    finished.await();
    return done.sum() / ((System.nanoTime() - start) / 1e9);
  }
}
