package app.getbodhi.session.servlet;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.web.SessionHandle;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;

/** A request whose sessions come from the store, through a {@link SessionHandle}. */
final class SessionRequest extends HttpServletRequestWrapper {

  private final SessionHandle handle;
  private StoreHttpSession current;

  SessionRequest(HttpServletRequest request, SessionHandle handle) {
    super(request);
    this.handle = handle;
  }

  @Override
  public HttpSession getSession(boolean create) {
    if (current != null && current.isValid()) {
      return current;
    }
    if (create) {
      handle.getOrCreate();
    } else if (!handle.exists()) {
      return null;
    }
    current = new StoreHttpSession(handle, getServletContext());
    return current;
  }

  @Override
  public HttpSession getSession() {
    return getSession(true);
  }

  @Override
  public String changeSessionId() {
    if (!handle.exists()) {
      throw new IllegalStateException("There is no session whose id could change.");
    }
    return handle.rotateId().value();
  }

  @Override
  public String getRequestedSessionId() {
    return handle.requestedId().map(SessionId::value).orElse(null);
  }

  @Override
  public boolean isRequestedSessionIdValid() {
    return handle.isRequestedIdValid();
  }

  @Override
  public boolean isRequestedSessionIdFromCookie() {
    return handle.requestedId().isPresent();
  }

  @Override
  public boolean isRequestedSessionIdFromURL() {
    // ids in URLs leak through logs and Referer headers; this layer never reads them
    return false;
  }
}
