package app.getbodhi.session.servlet;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.service.SessionHandle;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The {@link HttpSession} an application sees. The store keeps no creation or access times, so both
 * report when this request first opened the session.
 */
final class StoreHttpSession implements HttpSession {

  private final SessionHandle handle;
  private final ServletContext context;
  private final long openedAtMillis;
  private boolean valid = true;

  StoreHttpSession(SessionHandle handle, ServletContext context, long openedAtMillis) {
    this.handle = handle;
    this.context = context;
    this.openedAtMillis = openedAtMillis;
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
    return openedAtMillis;
  }

  /** The full id, as the servlet API requires; treat it as a secret and keep it out of logs. */
  @Override
  public String getId() {
    checkValid();
    return handle.id().orElseThrow().value();
  }

  @Override
  public long getLastAccessedTime() {
    checkValid();
    return openedAtMillis;
  }

  @Override
  public ServletContext getServletContext() {
    return context;
  }

  /**
   * Sets how long the session lives after this request's write.
   *
   * @param interval seconds; must be positive, since stored sessions always expire
   */
  @Override
  public void setMaxInactiveInterval(int interval) {
    if (interval <= 0) {
      throw new IllegalArgumentException(
          "maxInactiveInterval must be positive: stored sessions always expire.");
    }
    handle.setExpiry(Duration.ofSeconds(interval));
  }

  @Override
  public int getMaxInactiveInterval() {
    return (int) Math.min(Integer.MAX_VALUE, handle.expiry().toSeconds());
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
