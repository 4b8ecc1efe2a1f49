package app.getbodhi.session.servlet;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.web.SessionHandle;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The {@link HttpSession} an application sees. Its creation time, last access time and timeout come
 * from the store (see {@link SessionHandle} for what each means and how precise it is).
 */
final class StoreHttpSession implements HttpSession {

  private final SessionHandle handle;
  private final ServletContext context;
  private boolean valid = true;
  private String invalidatedId; // the id this session had when invalidated

  StoreHttpSession(SessionHandle handle, ServletContext context) {
    this.handle = handle;
    this.context = context;
  }

  boolean isValid() {
    return valid;
  }

  private void checkValid() {
    if (!valid) {
      throw new IllegalStateException("The session has been invalidated.");
    }
  }

  @Override
  public long getCreationTime() {
    checkValid();
    return handle.creationTime().toEpochMilli();
  }

  /**
   * The full id, as the servlet API requires; treat it as a secret and keep it out of logs. After
   * {@link #invalidate()} it still returns the id the session had, as Tomcat and Jetty do: the
   * servlet API lists no exception for it.
   */
  @Override
  public String getId() {
    if (!valid) {
      return invalidatedId;
    }
    return handle.id().orElseThrow().value();
  }

  /** When the last request that wrote the session ran (see {@link SessionHandle}). */
  @Override
  public long getLastAccessedTime() {
    checkValid();
    return handle.lastAccessedTime().toEpochMilli();
  }

  @Override
  public ServletContext getServletContext() {
    return context;
  }

  /**
   * Sets this session's own inactivity timeout, kept in the store for every later request and node.
   *
   * @param interval seconds; zero or less: the session never times out while its cookie can reach
   *     it (with a browser-session cookie it is kept until deleted; with a Max-Age cookie it lives
   *     as long as that cookie)
   * @throws IllegalStateException after {@link #invalidate()}
   */
  @Override
  public void setMaxInactiveInterval(int interval) {
    // after invalidate() the handle may already hold a fresh session, which this one must not touch
    checkValid();
    handle.setMaxInactiveInterval(Duration.ofSeconds(interval));
  }

  @Override
  public int getMaxInactiveInterval() {
    checkValid();
    long seconds = handle.maxInactiveInterval().toSeconds();
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, seconds));
  }

  @Override
  public Object getAttribute(String name) {
    checkValid();
    return handle.get(name).orElse(null);
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    checkValid();
    return Collections.enumeration(new ArrayList<>(handle.keys()));
  }

  /**
   * Sets an attribute; {@code null} removes it.
   *
   * @throws IllegalArgumentException naming the key when the value is not a JSON value; the session
   *     is left unchanged
   */
  @Override
  public void setAttribute(String name, Object value) {
    checkValid();
    try {
      handle.put(name, value);
    } catch (SessionServiceException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public void removeAttribute(String name) {
    checkValid();
    handle.remove(name);
  }

  @Override
  public void invalidate() {
    checkValid();
    invalidatedId = handle.id().map(SessionId::value).orElse(null);
    valid = false;
    handle.invalidate();
  }

  @Override
  public boolean isNew() {
    checkValid();
    return handle.isNew();
  }

  /** Never shows the id. */
  @Override
  public String toString() {
    return "StoreHttpSession[" + handle + "]";
  }
}
