package app.getbodhi.session.tests.servlet;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.web.SessionManagerLayer;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The servlets the filter tests run behind the filter (here and in session-tests). They use only
 * the plain servlet API, as an application would, and report what they saw as {@code key=value}
 * lines.
 */
public final class TestServlets {

  /** How long a blocked request waits to be released before it gives up. */
  static final long RELEASE_TIMEOUT_SECONDS = 20;

  private TestServlets() {}

  /** Writes {@code plain=ok} and never touches the session. */
  public static final class PlainServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain;charset=utf-8");
      response.getWriter().print("plain=ok\n");
    }
  }

  /**
   * What an application's "log out everywhere" button does, as the demo's: every session of the
   * current session's user ({@code user_id} attribute) is deleted through the store, on every node
   * and in every browser, then this session is invalidated so that its cookie is dropped and the
   * filter does not write it back. Reports {@code cleared=N}, or {@code cleared=no user} when the
   * request has no session or its session no user.
   */
  public static final class LogoutEverywhereServlet extends HttpServlet {

    private final ManagedSessionStore store;

    LogoutEverywhereServlet(ManagedSessionStore store) {
      this.store = store;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      HttpSession session = request.getSession(false);
      Object user = session == null ? null : session.getAttribute(SessionRecord.USER_ID_KEY);
      String cleared = "no user";
      if (user instanceof String userId) {
        cleared = Integer.toString(store.clearSessionsForUser(userId));
        session.invalidate();
      }
      response.setContentType("text/plain;charset=utf-8");
      response.getWriter().print("cleared=" + cleared + "\n");
    }
  }

  /**
   * Where {@link FilterServer} maps the {@link SessionPageServlet}: error page and forward target.
   */
  static final String SESSION_PAGE = "/session-page";

  /**
   * Shows what a page rendered in another dispatch of the request sees, as an error page or the
   * target of a forward: {@code page=session}, {@code dispatch=TYPE}, {@code status=N} (the error
   * status, or {@code none}), then {@code getSession(false)} as {@code session=ID} (or {@code
   * none}), {@code keys=[...]} and one {@code KEY=VALUE} line per attribute. It never creates a
   * session and never changes one.
   */
  public static final class SessionPageServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      List<String> out = new ArrayList<>();
      out.add("page=session");
      out.add("dispatch=" + request.getDispatcherType());
      Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
      out.add("status=" + (status == null ? "none" : status));
      HttpSession session = request.getSession(false);
      out.add("session=" + (session == null ? "none" : session.getId()));
      if (session != null) {
        List<String> keys =
            Collections.list(session.getAttributeNames()).stream().sorted().toList();
        out.add("keys=" + keys);
        for (String key : keys) {
          out.add(key + "=" + session.getAttribute(key));
        }
      }
      response.setContentType("text/plain;charset=utf-8");
      PrintWriter writer = response.getWriter();
      for (String line : out) {
        writer.print(line + "\n");
      }
    }
  }

  /**
   * Runs the commands given as repeated {@code do} parameters, in order, then writes what it saw.
   *
   * <ul>
   *   <li>{@code peek}: {@code getSession(false)}; reports {@code session=ID} (or {@code none}) and
   *       {@code new=true|false}
   *   <li>{@code get:KEY}: reports {@code KEY=VALUE} ({@code <no session>} without a session)
   *   <li>{@code keys}: reports {@code keys=[...]}, sorted
   *   <li>{@code cookieLengths}: reports the lengths of the values of the request's cookies named
   *       {@code bodhiapp_session_id}, as the container parsed them
   *   <li>{@code set:KEY:VALUE}: {@code getSession().setAttribute(KEY, VALUE)}
   *   <li>{@code fill:KEY:N}: stores a string of N characters
   *   <li>{@code sample:KEY}: stores a nested JSON value (numbers, booleans, lists, maps)
   *   <li>{@code bad:KEY:KIND}: tries to store a non-JSON value ({@code object}, {@code instant},
   *       {@code nested}, {@code intKey}); reports {@code rejected=MESSAGE} or {@code accepted=KEY}
   *   <li>{@code remove:KEY}: removes an attribute of the current session, if any
   *   <li>{@code rotate}: {@code changeSessionId()}; reports {@code rotated=ID}, or {@code
   *       rotated=IllegalStateException}
   *   <li>{@code invalidate}: invalidates the current session; reports {@code invalidated=true} or
   *       {@code invalidated=no session}
   *   <li>{@code status:N}: {@code setStatus(N)}; the body is written as usual
   *   <li>{@code error:N}: {@code sendError(N)} and stop
   *   <li>{@code redirect:PATH}: {@code sendRedirect(PATH)} and stop
   *   <li>{@code throw}: throws an {@link IllegalStateException} out of the servlet
   *   <li>{@code created}, {@code accessed}: report {@code getCreationTime()} / {@code
   *       getLastAccessedTime()} of the current session in epoch milliseconds ({@code <no session>}
   *       without one)
   *   <li>{@code timeout}: reports {@code getMaxInactiveInterval()} ({@code <no session>} without a
   *       session)
   *   <li>{@code set-timeout:N}: {@code getSession().setMaxInactiveInterval(N)}
   *   <li>{@code id-after-invalidate}: invalidates the current session, then reports {@code
   *       getId()} as {@code id-after-invalidate=ID} and, for each other accessor, what calling it
   *       did: {@code after-invalidate:NAME=ExceptionClass} or {@code returned}
   *   <li>{@code requested}: reports {@code getRequestedSessionId()} ({@code none} when null), then
   *       {@code requested-valid} and {@code requested-from-cookie}
   *   <li>{@code forward:PATH}: forwards to {@code PATH} (such as {@link #SESSION_PAGE}) and stops
   *   <li>{@code include:PATH}: includes {@code PATH}, then goes on
   *   <li>{@code stale-timeout}: invalidates the current session, starts a fresh one with {@code
   *       fresh=yes}, then calls {@code setMaxInactiveInterval(60)} on the invalidated one; reports
   *       {@code stale-set-timeout=ExceptionClass} (or {@code returned}) and {@code
   *       fresh-timeout=N}
   * </ul>
   */
  public static final class ScriptServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String[] commands = request.getParameterValues("do");
      List<String> out = new ArrayList<>();
      for (String command : commands == null ? new String[0] : commands) {
        String[] part = command.split(":", 3);
        switch (part[0]) {
          case "peek" -> {
            HttpSession session = request.getSession(false);
            out.add("session=" + (session == null ? "none" : session.getId()));
            if (session != null) {
              out.add("new=" + session.isNew());
            }
          }
          case "get" -> {
            HttpSession session = request.getSession(false);
            out.add(
                part[1] + "=" + (session == null ? "<no session>" : session.getAttribute(part[1])));
          }
          case "keys" -> {
            HttpSession session = request.getSession(false);
            List<String> keys =
                session == null
                    ? List.of()
                    : new ArrayList<>(Collections.list(session.getAttributeNames()));
            out.add("keys=" + keys.stream().sorted().toList());
          }
          case "cookieLengths" -> {
            List<Integer> lengths = new ArrayList<>();
            Cookie[] cookies = request.getCookies();
            for (Cookie cookie : cookies == null ? new Cookie[0] : cookies) {
              if (SessionManagerLayer.DEFAULT_COOKIE_NAME.equals(cookie.getName())) {
                lengths.add(cookie.getValue().length());
              }
            }
            out.add("cookieLengths=" + lengths);
          }
          case "set" -> request.getSession().setAttribute(part[1], part[2]);
          case "fill" ->
              request.getSession().setAttribute(part[1], "x".repeat(Integer.parseInt(part[2])));
          case "sample" -> request.getSession().setAttribute(part[1], sample());
          case "bad" -> {
            HttpSession session = request.getSession();
            try {
              session.setAttribute(part[1], badValue(part[2]));
              out.add("accepted=" + part[1]);
            } catch (IllegalArgumentException e) {
              out.add("rejected=" + e.getMessage());
            }
          }
          case "remove" -> {
            HttpSession session = request.getSession(false);
            if (session != null) {
              session.removeAttribute(part[1]);
            }
          }
          case "rotate" -> {
            try {
              out.add("rotated=" + request.changeSessionId());
            } catch (IllegalStateException e) {
              out.add("rotated=IllegalStateException");
            }
          }
          case "invalidate" ->
              out.add("invalidated=" + (invalidate(request) == null ? "no session" : "true"));
          case "status" -> response.setStatus(Integer.parseInt(part[1]));
          case "error" -> {
            response.sendError(Integer.parseInt(part[1]));
            return;
          }
          case "redirect" -> {
            response.sendRedirect(part[1]);
            return;
          }
          case "throw" -> throw new IllegalStateException("the test servlet fails on purpose");
          case "created" -> out.add(sessionLine(request, "created", HttpSession::getCreationTime));
          case "accessed" ->
              out.add(sessionLine(request, "accessed", HttpSession::getLastAccessedTime));
          case "timeout" ->
              out.add(sessionLine(request, "timeout", HttpSession::getMaxInactiveInterval));
          case "set-timeout" ->
              request.getSession().setMaxInactiveInterval(Integer.parseInt(part[1]));
          case "id-after-invalidate" -> {
            HttpSession session = invalidate(request);
            if (session == null) {
              out.add("id-after-invalidate=<no session>");
            } else {
              out.add("id-after-invalidate=" + session.getId());
              out.addAll(afterInvalidate(session));
            }
          }
          case "requested" -> {
            String requested = request.getRequestedSessionId();
            out.add("requested=" + (requested == null ? "none" : requested));
            out.add("requested-valid=" + request.isRequestedSessionIdValid());
            out.add("requested-from-cookie=" + request.isRequestedSessionIdFromCookie());
          }
          case "forward" -> {
            try {
              request.getRequestDispatcher(part[1]).forward(request, response);
            } catch (ServletException e) {
              throw new IOException(e);
            }
            return;
          }
          case "include" -> {
            try {
              request.getRequestDispatcher(part[1]).include(request, response);
            } catch (ServletException e) {
              throw new IOException(e);
            }
          }
          case "stale-timeout" -> {
            HttpSession old = invalidate(request);
            HttpSession fresh = request.getSession();
            fresh.setAttribute("fresh", "yes");
            out.add("stale-set-timeout=" + outcome(() -> old.setMaxInactiveInterval(60)));
            out.add("fresh-timeout=" + fresh.getMaxInactiveInterval());
          }
          default -> throw new IllegalArgumentException("unknown test command: " + command);
        }
      }
      response.setContentType("text/plain;charset=utf-8");
      PrintWriter writer = response.getWriter();
      for (String line : out) {
        writer.print(line + "\n");
      }
    }

    /**
     * Invalidates the request's session, if it has one.
     *
     * @return the invalidated session, or {@code null} when the request had none
     */
    private static HttpSession invalidate(HttpServletRequest request) {
      HttpSession session = request.getSession(false);
      if (session != null) {
        session.invalidate();
      }
      return session;
    }

    /**
     * Calls every accessor of an invalidated session except {@code getId()} and reports, one line
     * each, what the call did.
     */
    private static List<String> afterInvalidate(HttpSession session) {
      Map<String, Runnable> calls = new LinkedHashMap<>();
      calls.put("getAttribute", () -> session.getAttribute("k"));
      calls.put("getAttributeNames", session::getAttributeNames);
      calls.put("setAttribute", () -> session.setAttribute("k", "after"));
      calls.put("removeAttribute", () -> session.removeAttribute("k"));
      calls.put("getCreationTime", session::getCreationTime);
      calls.put("getLastAccessedTime", session::getLastAccessedTime);
      calls.put("isNew", session::isNew);
      calls.put("getMaxInactiveInterval", session::getMaxInactiveInterval);
      calls.put("setMaxInactiveInterval", () -> session.setMaxInactiveInterval(60));
      calls.put("invalidate", session::invalidate);
      List<String> lines = new ArrayList<>();
      for (Map.Entry<String, Runnable> call : calls.entrySet()) {
        lines.add("after-invalidate:" + call.getKey() + "=" + outcome(call.getValue()));
      }
      return lines;
    }

    /** What a call did: {@code returned}, or the simple name of what it threw. */
    private static String outcome(Runnable call) {
      try {
        call.run();
        return "returned";
      } catch (RuntimeException e) {
        return e.getClass().getSimpleName();
      }
    }

    /** A nested JSON value, in the canonical form the store reads back. */
    static Map<String, Object> sample() {
      Map<String, Object> sample = new LinkedHashMap<>();
      sample.put("count", 3L);
      sample.put("ratio", 0.5);
      sample.put("admin", false);
      sample.put("tags", List.of("a", "b"));
      sample.put("nested", Map.of("theme", "dark", "sizes", List.of(1L, 2L)));
      return sample;
    }

    private static Object badValue(String kind) {
      return switch (kind) {
        case "object" -> new Object();
        case "instant" -> Instant.parse("2000-01-01T00:00:00Z");
        case "nested" -> Map.of("theme", "dark", "since", new Object());
        case "intKey" -> Map.of(1, "one");
        default -> throw new IllegalArgumentException("unknown bad value kind: " + kind);
      };
    }
  }

  /**
   * The target of forwards and includes: does what {@code act} says to the session, then writes
   * {@code dispatched=ACT} when {@code body=true} and nothing otherwise.
   *
   * <ul>
   *   <li>{@code set}: {@code getSession().setAttribute("dispatched", "yes")}, creating a session
   *       when there is none
   *   <li>{@code rotate}: {@code changeSessionId()}
   *   <li>{@code invalidate}: invalidates the current session
   * </ul>
   */
  public static final class DispatchTargetServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String act = request.getParameter("act");
      switch (act) {
        case "set" -> request.getSession().setAttribute("dispatched", "yes");
        case "rotate" -> request.changeSessionId();
        case "invalidate" -> request.getSession(false).invalidate();
        default -> throw new IllegalArgumentException("unknown dispatch action: " + act);
      }
      if ("true".equals(request.getParameter("body"))) {
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().print("dispatched=" + act + "\n");
      }
    }
  }

  /**
   * Sets {@code key} to {@code value} in a new or existing session, then writes a body of {@code
   * size} bytes: through the output stream ({@code mode=stream}) or the writer ({@code
   * mode=writer}), {@code chunk} bytes per call, with a {@code Content-Length} first when {@code
   * length=true}. Reports the response buffer size in the {@code X-Buffer-Size} header.
   */
  public static final class LargeBodyServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      request.getSession().setAttribute(request.getParameter("key"), request.getParameter("value"));
      int size = Integer.parseInt(request.getParameter("size"));
      int chunk = Integer.parseInt(request.getParameter("chunk"));
      response.setContentType("text/plain;charset=utf-8");
      response.setHeader("X-Buffer-Size", Integer.toString(response.getBufferSize()));
      if ("true".equals(request.getParameter("length"))) {
        response.setContentLength(size);
      }
      if ("writer".equals(request.getParameter("mode"))) {
        char[] chars = new char[chunk];
        Arrays.fill(chars, 'w');
        PrintWriter writer = response.getWriter();
        for (int written = 0; written < size; written += chunk) {
          writer.write(chars, 0, Math.min(chunk, size - written));
        }
      } else {
        byte[] bytes = new byte[chunk];
        Arrays.fill(bytes, (byte) 's');
        OutputStream stream = response.getOutputStream();
        for (int written = 0; written < size; written += chunk) {
          stream.write(bytes, 0, Math.min(chunk, size - written));
        }
      }
    }
  }

  /**
   * Holds requests inside the servlet: each arrival counts down {@link #arrived}, then waits for
   * {@link #release}. A test uses it to change the store while a request is in flight, or to make
   * several requests load the same session before any of them saves.
   */
  public static final class Gate {
    final CountDownLatch arrived;
    final CountDownLatch release = new CountDownLatch(1);

    Gate(int parties) {
      this.arrived = new CountDownLatch(parties);
    }
  }

  /**
   * Loads the existing session (reports {@code session=none} and returns at once without one), sets
   * {@code key} to {@code value}, changes the session id when {@code rotate=true}, arrives at the
   * current {@link Gate} and waits for its release before returning, so the session is written
   * after the wait.
   */
  public static final class BlockingServlet extends HttpServlet {
    private final Supplier<Gate> gates;

    BlockingServlet(Supplier<Gate> gates) {
      this.gates = gates;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain;charset=utf-8");
      HttpSession session = request.getSession(false);
      if (session == null) {
        response.getWriter().print("session=none\n");
        return;
      }
      session.setAttribute(request.getParameter("key"), request.getParameter("value"));
      if ("true".equals(request.getParameter("rotate"))) {
        request.changeSessionId();
      }
      Gate gate = gates.get();
      gate.arrived.countDown();
      try {
        if (!gate.release.await(RELEASE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never released the blocked request");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while blocked", e);
      }
      response.getWriter().print("released=true\n");
    }
  }

  /** One {@code name=value} line of the request's session, or {@code name=<no session>}. */
  private static String sessionLine(
      HttpServletRequest request, String name, Function<HttpSession, Object> value) {
    HttpSession session = request.getSession(false);
    return name + "=" + (session == null ? "<no session>" : value.apply(session));
  }
}
