package app.getbodhi.session.tests.servlet;

import static app.getbodhi.session.tests.servlet.FilterHarness.BLOCK;
import static app.getbodhi.session.tests.servlet.FilterHarness.TIMEOUT;
import static app.getbodhi.session.tests.servlet.FilterHarness.await;
import static app.getbodhi.session.tests.servlet.FilterHarness.cookie;

import app.getbodhi.session.tests.servlet.TestServlets.Gate;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The gate in front of {@link FilterHarness#BLOCK}: each request there loads and changes its
 * session, arrives at the gate and waits until it opens, so that a test can act while requests are
 * in flight. One per harness ({@link FilterHarness#gate()}); each test starts with a new gate for
 * one request, and the harness opens it when the test ends so that no request outlives its test.
 */
public final class Gatekeeper {

  /** Sends a request without waiting for it: a target and a {@code Cookie} header, or null. */
  private final BiFunction<String, String, CompletableFuture<HttpResponse<String>>> sendAsync;

  private volatile Gate gate = new Gate(1);

  Gatekeeper(BiFunction<String, String, CompletableFuture<HttpResponse<String>>> sendAsync) {
    this.sendAsync = sendAsync;
  }

  /** The gate that requests arriving now wait at; the blocking servlet asks for each request. */
  Gate current() {
    return gate;
  }

  /**
   * Puts a new gate in front of the {@link FilterHarness#BLOCK} servlet: each request there waits
   * at it until {@link #release()}, and {@link #awaitArrival} returns once this many have arrived.
   *
   * @param parties how many requests {@link #awaitArrival} waits for
   */
  public void hold(int parties) {
    gate = new Gate(parties);
  }

  /**
   * Waits until the gate's requests have all arrived, that is loaded and changed their session.
   *
   * @param what what has happened then, for the failure message
   * @throws InterruptedException when interrupted
   */
  public void awaitArrival(String what) throws InterruptedException {
    if (!gate.arrived.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("timed out waiting until " + what);
    }
  }

  /** Lets every request waiting at the gate go on. */
  public void release() {
    gate.release.countDown();
  }

  /**
   * Sends one request to {@link FilterHarness#BLOCK} with a session's cookie and holds it at a new
   * gate once it has loaded and changed the session, so that the test can act while it is in
   * flight.
   *
   * @param query the blocking servlet's query, such as {@code ?key=k&value=v}
   * @param id the session id the request's cookie names
   * @return the held request; {@link HeldRequest#release()} lets it finish
   * @throws InterruptedException when interrupted
   */
  public HeldRequest holdOne(String query, String id) throws InterruptedException {
    hold(1);
    CompletableFuture<HttpResponse<String>> inFlight = sendAsync.apply(BLOCK + query, cookie(id));
    awaitArrival(
        query.contains("rotate=true")
            ? "the login has loaded the session, changed it and rotated its id"
            : "the request has loaded and changed the session");
    return new HeldRequest(inFlight);
  }

  /** One request waiting at the gate, from {@link #holdOne}. */
  public final class HeldRequest {

    private final CompletableFuture<HttpResponse<String>> inFlight;

    private HeldRequest(CompletableFuture<HttpResponse<String>> inFlight) {
      this.inFlight = inFlight;
    }

    /**
     * Opens the gate and waits for the request to finish.
     *
     * @return its response
     * @throws Exception when it failed or took longer than {@link FilterHarness#TIMEOUT}
     */
    public HttpResponse<String> release() throws Exception {
      Gatekeeper.this.release();
      return await(inFlight);
    }
  }
}
