package app.getbodhi.session.bench;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spring.BodhiSessionRepository;
import app.getbodhi.session.spring.JsonOnlyAttributeCodec;
import app.getbodhi.session.spring.reactive.BodhiReactiveSessionRepository;
import app.getbodhi.session.spring.reactive.StoreScheduler;
import app.getbodhi.session.web.SessionManagerLayer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.DefaultWebSessionManager;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Requests over real HTTP through Spring WebFlux and Spring Session's {@code
 * SpringSessionWebSessionStore}, on a reactor-netty server on loopback: over our {@link
 * BodhiReactiveSessionRepository} ({@code ours}, on the point benchmarks' database) and over Spring
 * Session's {@link ReactiveMapSessionRepository} ({@code memory}: sessions in a map, the ceiling a
 * stored session is measured against). Threads come from the runner (1 and 8); each is one client
 * with its own {@link HttpClient} and its own session, created by its first request.
 *
 * <p>A read-only request ({@code GET /read}) reads the {@code visits} attribute; a changing one
 * ({@code GET /change}) increments it. Either fails on any answer but 200, and the read-only one
 * also when it finds no count, so that a benchmark never times misses. Clients and server share the
 * machine's cores: the ratio to the in-memory ceiling is the figure to compare, not the rate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WebFluxBenchmark {

  /** Spring WebFlux's default session cookie name. */
  static final String COOKIE = "SESSION";

  /** The attribute both routes read, and the changing one increments. */
  static final String VISITS = "visits";

  @Param({"sqlite", "postgres"})
  public String backend;

  @Param({"ours", "memory"})
  public String impl;

  private ManagedSessionStore store;
  private StoreScheduler scheduler;
  private DisposableServer server;

  @Setup(Level.Trial)
  public void open() throws java.sql.SQLException {
    ReactiveSessionRepository<? extends Session> repository;
    if (impl.equals("memory")) {
      repository = new ReactiveMapSessionRepository(new ConcurrentHashMap<>());
    } else if (impl.equals(Results.OURS)) {
      BenchDb db = BenchDb.of(backend, "point");
      // the same starting state as every point run: no leftovers of create and delete
      PointBenchmark.resetTables(db);
      store = db.openOurs();
      // as the auto-configuration wires it: one scheduler thread per pooled connection
      scheduler =
          StoreScheduler.create(
              SessionStoreConfig.DEFAULT_MAXIMUM_POOL_SIZE,
              StoreScheduler.DEFAULT_QUEUE_PER_THREAD);
      repository =
          new BodhiReactiveSessionRepository(
              new BodhiSessionRepository(
                  store, SessionManagerLayer.of(store), new JsonOnlyAttributeCodec()),
              scheduler);
    } else {
      throw new IllegalArgumentException("impl is ours or memory, not " + impl);
    }
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(new ReactorHttpHandlerAdapter(application(repository)))
            .bindNow();
  }

  /** The application: two routes behind Spring Session's session store, as Boot assembles it. */
  private static <S extends Session> HttpHandler application(
      ReactiveSessionRepository<S> repository) {
    DefaultWebSessionManager sessions = new DefaultWebSessionManager();
    sessions.setSessionStore(new SpringSessionWebSessionStore<>(repository));
    RouterFunction<ServerResponse> routes =
        RouterFunctions.route()
            .GET(
                "/read",
                request ->
                    request
                        .session()
                        .flatMap(
                            session -> {
                              Object visits = session.getAttribute(VISITS);
                              return visits == null
                                  ? ServerResponse.notFound().build()
                                  : ServerResponse.ok().bodyValue("visits=" + visits);
                            }))
            .GET(
                "/change",
                request ->
                    request
                        .session()
                        .flatMap(
                            session -> {
                              Number visits = session.getAttribute(VISITS);
                              long next = visits == null ? 1 : visits.longValue() + 1;
                              session.getAttributes().put(VISITS, next);
                              return ServerResponse.ok().bodyValue("visits=" + next);
                            }))
            .build();
    // the exchange in the Reactor context, first of all filters, as the auto-configuration does
    return WebHttpHandlerBuilder.webHandler(RouterFunctions.toWebHandler(routes))
        .filter(new ServerWebExchangeContextFilter())
        .sessionManager(sessions)
        .build();
  }

  @TearDown(Level.Trial)
  public void close() {
    server.disposeNow();
    if (scheduler != null) {
      scheduler.close();
    }
    if (store != null) {
      store.close();
    }
  }

  /** Per-thread: one client, its own connection and its own session. */
  @State(Scope.Thread)
  public static class Client {
    HttpClient http;
    HttpRequest read;
    HttpRequest change;

    @Setup(Level.Trial)
    public void open(WebFluxBenchmark bench) throws IOException, InterruptedException {
      http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String base = "http://127.0.0.1:" + bench.server.port();
      HttpResponse<String> first =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/change")).build(),
              HttpResponse.BodyHandlers.ofString());
      String cookie =
          first
              .headers()
              .firstValue("Set-Cookie")
              .filter(c -> c.startsWith(COOKIE + "="))
              .orElseThrow(() -> new IllegalStateException(bench.impl + ": no session cookie"))
              .split(";", 2)[0];
      read = HttpRequest.newBuilder(URI.create(base + "/read")).header("Cookie", cookie).build();
      change =
          HttpRequest.newBuilder(URI.create(base + "/change")).header("Cookie", cookie).build();
    }

    int send(HttpRequest request) throws IOException, InterruptedException {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 200) {
        throw new IllegalStateException(request.uri().getPath() + " answered " + status);
      }
      return status;
    }
  }

  @Benchmark
  public int webfluxReadOnly(Client client) throws IOException, InterruptedException {
    return client.send(client.read);
  }

  @Benchmark
  public int webfluxChanging(Client client) throws IOException, InterruptedException {
    return client.send(client.change);
  }
}
