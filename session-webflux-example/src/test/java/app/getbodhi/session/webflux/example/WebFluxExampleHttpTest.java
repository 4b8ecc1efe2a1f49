package app.getbodhi.session.webflux.example;

import app.getbodhi.session.example.ExampleHttpTestBase;

/** The WebFlux example over real HTTP: the tests both examples pass, with no blocking call. */
@OnWebFluxExampleApplication
class WebFluxExampleHttpTest extends ExampleHttpTestBase {}
