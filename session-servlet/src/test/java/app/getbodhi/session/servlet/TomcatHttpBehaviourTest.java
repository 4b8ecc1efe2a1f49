package app.getbodhi.session.servlet;

import app.getbodhi.session.tests.servlet.FilterServer;

/** Runs every test of {@link HttpBehaviour} on Tomcat 11, with its default settings. */
class TomcatHttpBehaviourTest extends HttpBehaviour {

  TomcatHttpBehaviourTest() {
    super(FilterServer.Container.TOMCAT);
  }
}
