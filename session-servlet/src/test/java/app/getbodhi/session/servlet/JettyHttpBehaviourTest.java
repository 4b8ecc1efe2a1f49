package app.getbodhi.session.servlet;

import app.getbodhi.session.tests.servlet.FilterServer;

/** Runs every test of {@link HttpBehaviour} on Jetty 12, with its default settings. */
class JettyHttpBehaviourTest extends HttpBehaviour {

  JettyHttpBehaviourTest() {
    super(FilterServer.Container.JETTY);
  }
}
