package app.getbodhi.session.servlet;

import app.getbodhi.session.web.SessionCookie;
import app.getbodhi.session.web.SessionHandle;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A response that writes the session just before it can be committed, while a {@code Set-Cookie}
 * header can still be added: on a redirect, an error, a flush, a close, or the first byte of body.
 * The body's first byte is the only portable moment: containers may commit on any write (Jetty 12
 * commits a single write larger than its aggregation size, a quarter of the buffer), and the
 * servlet API does not say when. Changes made after that are still saved when the request ends;
 * only the cookie can no longer change.
 *
 * <p>While an include runs, the container drops the headers it is given, so a cookie due then is
 * kept and set at the next write, flush or commit once the include is over ({@link
 * #leaveInclude()}).
 */
final class SessionResponse extends HttpServletResponseWrapper {

  private static final Logger LOG = LoggerFactory.getLogger(SessionResponse.class);

  private final SessionHandle handle;
  private boolean bodyStarted;
  private int includeDepth;
  private SessionCookie pendingCookie; // due, not yet set: set once no include runs
  private ServletOutputStream stream;
  private PrintWriter writer;

  SessionResponse(HttpServletResponse response, SessionHandle handle) {
    super(response);
    this.handle = handle;
  }

  /**
   * Writes pending session changes and, while the response is not committed, sets the cookie.
   *
   * @throws app.getbodhi.session.SessionServiceException when the store fails; the container turns
   *     it into a 500 if the response is not committed yet
   */
  void commitSession() {
    commitSession(getStatus() >= 500);
  }

  private void commitSession(boolean errorResponse) {
    Optional<SessionCookie> cookie = handle.commit(errorResponse);
    // a later cookie of the same name and path replaces an earlier one that was not sent yet
    cookie.ifPresent(due -> pendingCookie = due);
    sendPendingCookie();
  }

  private void sendPendingCookie() {
    if (pendingCookie == null || includeDepth > 0) {
      return;
    }
    SessionCookie cookie = pendingCookie;
    pendingCookie = null;
    HttpServletResponse response = (HttpServletResponse) getResponse();
    if (response.isCommitted()) {
      LOG.warn(
          "The session changed after the response was committed; the client keeps its old"
              + " session cookie. Change the session before writing the body.");
      return;
    }
    response.addHeader("Set-Cookie", cookie.toHeaderValue());
  }

  /** An include starts: cookies due now wait until it is over. */
  void enterInclude() {
    includeDepth++;
  }

  /**
   * An include returns. A cookie that became due during it is set at the next write, flush or
   * commit of the request's own response: not now, since a container may drop headers until its
   * include has fully unwound (Tomcat keeps its include wrapper in place until then).
   */
  void leaveInclude() {
    includeDepth--;
  }

  private void beforeWrite() {
    if (!bodyStarted) {
      bodyStarted = true;
      commitSession();
    } else if (pendingCookie != null) {
      sendPendingCookie();
    }
  }

  @Override
  public void sendError(int status, String message) throws IOException {
    commitSession(status >= 500);
    super.sendError(status, message);
  }

  @Override
  public void sendError(int status) throws IOException {
    commitSession(status >= 500);
    super.sendError(status);
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    commitSession(false);
    super.sendRedirect(location);
  }

  @Override
  public void flushBuffer() throws IOException {
    commitSession();
    super.flushBuffer();
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (stream == null) {
      stream = new CommittingOutputStream(super.getOutputStream());
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      writer = new PrintWriter(new CommittingWriter(super.getWriter()));
    }
    return writer;
  }

  private final class CommittingOutputStream extends ServletOutputStream {
    private final ServletOutputStream delegate;

    CommittingOutputStream(ServletOutputStream delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(int b) throws IOException {
      beforeWrite();
      delegate.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      beforeWrite();
      delegate.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
      commitSession();
      delegate.flush();
    }

    @Override
    public void close() throws IOException {
      commitSession();
      delegate.close();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      delegate.setWriteListener(listener);
    }
  }

  private final class CommittingWriter extends Writer {
    private final PrintWriter delegate;

    CommittingWriter(PrintWriter delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
      beforeWrite();
      delegate.write(chars, offset, length);
    }

    @Override
    public void write(String text, int offset, int length) {
      beforeWrite();
      delegate.write(text, offset, length);
    }

    @Override
    public void flush() {
      commitSession();
      delegate.flush();
    }

    @Override
    public void close() {
      commitSession();
      delegate.close();
    }
  }
}
